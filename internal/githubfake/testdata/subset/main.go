// Command subset writes the part of GitHub's OpenAPI description that the
// githubfake package serves: the operations in githubfake.Operations(), the
// path-level parameters of their paths, and every component they reference,
// transitively. The result is what githubfake validates requests and
// responses against.
//
// It is run by ../regenerate.sh, which downloads the pinned @octokit/openapi
// package first:
//
//	go run ./internal/githubfake/testdata/subset -in api.github.com.json -source @octokit/openapi@X -out api.github.com.subset.json
//
// Examples (components/examples and every "examples" or "example" key) are
// dropped: they document, they do not constrain, and they are most of the
// bytes. Nothing else is changed; the fake's allow-list of the description's
// known mistakes is applied when the fake loads the subset, not here, so the
// file stays a faithful excerpt of GitHub's own.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/orgctl/orgctl/internal/githubfake"
)

func main() {
	in := flag.String("in", "", "GitHub's full OpenAPI description (generated/api.github.com.json)")
	out := flag.String("out", "", "where to write the subset")
	source := flag.String("source", "", "where the description came from, recorded in info.x-orgctl-subset (e.g. @octokit/openapi@23.0.2)")
	flag.Parse()
	if *in == "" || *out == "" || *source == "" {
		fmt.Fprintln(os.Stderr, "usage: subset -in FULL.json -out SUBSET.json -source PACKAGE@VERSION")
		os.Exit(2)
	}
	if err := run(*in, *out, *source); err != nil {
		fmt.Fprintln(os.Stderr, "subset:", err)
		os.Exit(1)
	}
}

func run(in, out, source string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("reading the description: %w", err)
	}
	var full map[string]any
	if err := json.Unmarshal(raw, &full); err != nil {
		return fmt.Errorf("decoding the description: %w", err)
	}
	fullPaths, _ := full["paths"].(map[string]any)
	components, _ := full["components"].(map[string]any)

	paths := map[string]any{}
	var ops []string
	for _, op := range githubfake.Operations() {
		method, template, _ := strings.Cut(op, " ")
		item, ok := fullPaths[template].(map[string]any)
		if !ok {
			return fmt.Errorf("%s: the description has no path %s", op, template)
		}
		operation, ok := item[strings.ToLower(method)]
		if !ok {
			return fmt.Errorf("%s: the description has no %s operation on %s", op, method, template)
		}
		kept, ok := paths[template].(map[string]any)
		if !ok {
			kept = map[string]any{}
			for _, key := range []string{"parameters", "summary", "description"} {
				if v, ok := item[key]; ok {
					kept[key] = v
				}
			}
			paths[template] = kept
		}
		kept[strings.ToLower(method)] = operation
		ops = append(ops, op)
	}
	stripExamples(paths)

	// Collect components reachable from the kept paths, transitively.
	kept := map[string]map[string]any{}
	var queue []string
	collectRefs(paths, &queue)
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		kind, name, ok := splitRef(ref)
		if !ok {
			return fmt.Errorf("unsupported $ref %q", ref)
		}
		if kind == "examples" {
			continue
		}
		if _, done := kept[kind][name]; done {
			continue
		}
		group, _ := components[kind].(map[string]any)
		value, ok := group[name]
		if !ok {
			return fmt.Errorf("dangling $ref %q", ref)
		}
		stripExamples(value)
		if kept[kind] == nil {
			kept[kind] = map[string]any{}
		}
		kept[kind][name] = value
		collectRefs(value, &queue)
	}

	sort.Strings(ops)
	info, _ := full["info"].(map[string]any)
	info["x-orgctl-subset"] = map[string]any{
		"source":     source + " generated/api.github.com.json",
		"operations": ops,
		"note":       "written by internal/githubfake/testdata/regenerate.sh; do not edit by hand",
	}
	subset := map[string]any{
		"openapi":    full["openapi"],
		"info":       info,
		"servers":    full["servers"],
		"paths":      paths,
		"components": kept,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(subset); err != nil {
		return fmt.Errorf("encoding the subset: %w", err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the subset: %w", err)
	}
	n := 0
	for _, group := range kept {
		n += len(group)
	}
	fmt.Printf("%s: %d operations, %d paths, %d components, %d bytes\n", out, len(ops), len(paths), n, buf.Len())
	return nil
}

// collectRefs appends every "$ref" found in v to queue.
func collectRefs(v any, queue *[]string) {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			*queue = append(*queue, ref)
		}
		for _, child := range v {
			collectRefs(child, queue)
		}
	case []any:
		for _, child := range v {
			collectRefs(child, queue)
		}
	}
}

// stripExamples removes "examples" and "example" keys, except where they are
// the name of a property (a schema's properties may be called anything).
func stripExamples(v any) {
	switch v := v.(type) {
	case map[string]any:
		for key, child := range v {
			if key == "properties" {
				if props, ok := child.(map[string]any); ok {
					for _, p := range props {
						stripExamples(p)
					}
				}
				continue
			}
			if key == "examples" || key == "example" {
				delete(v, key)
				continue
			}
			stripExamples(child)
		}
	case []any:
		for _, child := range v {
			stripExamples(child)
		}
	}
}

// splitRef splits "#/components/KIND/NAME" into KIND and NAME.
func splitRef(ref string) (kind, name string, ok bool) {
	rest, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return "", "", false
	}
	kind, name, ok = strings.Cut(rest, "/")
	if !ok || strings.Contains(name, "/") {
		return "", "", false
	}
	name = strings.ReplaceAll(strings.ReplaceAll(name, "~1", "/"), "~0", "~")
	return kind, name, true
}
