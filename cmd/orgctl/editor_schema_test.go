package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/examples/scaffold"

	"github.com/orgctl/orgctl/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// These tests look at orgctl's files the way an editor does: the YAML
// language server reads schema/orgctl.schema.json (through the modeline) with
// its own draft-07 validator, not orgctl's. They use an independent
// validator, github.com/santhosh-tekuri/jsonschema/v6, so that a schema only
// orgctl's loader understands, or an example only orgctl accepts, fails here.

// compileEditorSchema compiles the embedded schema as draft-07, checking it
// against the draft-07 meta-schema on the way.
func compileEditorSchema(t *testing.T, raw []byte) (*jsonschema.Schema, error) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.AssertFormat()
	const url = "file:///orgctl.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// TestSchemaIsDraft07 compiles schema/orgctl.schema.json with the
// independent validator and checks that it declares draft-07, the newest
// draft the YAML language server supports.
func TestSchemaIsDraft07(t *testing.T) {
	if _, err := compileEditorSchema(t, schema.JSON); err != nil {
		t.Fatalf("schema/orgctl.schema.json is not a valid draft-07 schema: %v", err)
	}
	if !bytes.Contains(schema.JSON, []byte(`"$schema": "http://json-schema.org/draft-07/schema#"`)) {
		t.Error(`schema/orgctl.schema.json does not declare "$schema": "http://json-schema.org/draft-07/schema#"`)
	}
	onDisk, err := os.ReadFile("../../schema/orgctl.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk, schema.JSON) {
		t.Error("schema.JSON differs from schema/orgctl.schema.json, the file editors fetch")
	}
	// The meta-schema check is real: a broken schema does not compile.
	if _, err := compileEditorSchema(t, []byte(`{"$schema": "http://json-schema.org/draft-07/schema#", "type": 5}`)); err == nil {
		t.Error(`a schema with "type": 5 compiled: the meta-schema is not checked`)
	}
}

// editorDoc is one YAML document as an editor sees it.
type editorDoc struct {
	file  string
	index int
	name  string // metadata.name, if any
	value any
}

// readEditorDocs reads every document of a YAML file into JSON values with
// the YAML 1.2 core schema, as the YAML language server does (a date stays a
// string; a duplicate key is an error). Documents of other API groups (a
// GitHub workflow, a Kubernetes object) are left out.
func readEditorDocs(file string, data []byte) ([]editorDoc, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []editorDoc
	for i := 0; ; i++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		if len(n.Content) == 0 {
			continue // an empty document
		}
		v, err := yamlToJSON(n.Content[0])
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		m, _ := v.(map[string]any)
		api, _ := m["apiVersion"].(string)
		if m != nil && !strings.HasPrefix(api, schema.APIGroup+"/") {
			continue
		}
		d := editorDoc{file: file, index: i, value: v}
		if md, ok := m["metadata"].(map[string]any); ok {
			d.name, _ = md["name"].(string)
		}
		docs = append(docs, d)
	}
}

func yamlToJSON(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return yamlToJSON(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("line %d: duplicate key %q", n.Content[i].Line, k)
			}
			v, err := yamlToJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlToJSON(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float", "!!bool", "!!null":
			var v any
			if err := n.Decode(&v); err != nil {
				return nil, fmt.Errorf("line %d: %w", n.Line, err)
			}
			return v, nil
		default: // !!str, and !!timestamp, which YAML 1.2 does not have
			return n.Value, nil
		}
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
}

// expectedBroken reads the parse and schema findings that
// examples/conflicts/expected.txt (derived by hand from SPEC §3) lists:
// files that must not parse, and names of documents that must break the
// schema. Everything else under examples/ must be valid.
func expectedBroken(t *testing.T) (parse, schemaNames map[string]bool) {
	t.Helper()
	f, err := os.Open("../../examples/conflicts/expected.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parse, schemaNames = map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fp, _, _ := strings.Cut(sc.Text(), " ")
		if rest, ok := strings.CutPrefix(fp, "parse/"); ok {
			parse["../../examples/conflicts/"+rest] = true
		}
		if rest, ok := strings.CutPrefix(fp, "schema/"); ok {
			schemaNames[rest] = true
		}
	}
	if len(parse) == 0 || len(schemaNames) == 0 {
		t.Fatal("expected.txt lists no parse or schema findings: this test would check nothing broken")
	}
	return parse, schemaNames
}

// TestExamplesValidateInAnEditor: every orgctl document under examples/
// passes the schema as an editor checks it, except the deliberately broken
// fixtures of examples/conflicts, which an editor must flag too.
func TestExamplesValidateInAnEditor(t *testing.T) {
	sch, err := compileEditorSchema(t, schema.JSON)
	if err != nil {
		t.Fatal(err)
	}
	wantParse, wantSchema := expectedBroken(t)
	gotParse, gotSchema := map[string]bool{}, map[string]bool{}
	valid := 0
	err = filepath.WalkDir("../../examples", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		docs, err := readEditorDocs(path, data)
		if err != nil {
			gotParse[path] = true
			if !wantParse[path] {
				t.Errorf("%s: %v", path, err)
			}
			return nil
		}
		for _, doc := range docs {
			if err := sch.Validate(doc.value); err != nil {
				gotSchema[doc.name] = true
				if !wantSchema[doc.name] {
					t.Errorf("%s, document %d (%s): %v", path, doc.index, doc.name, err)
				}
				continue
			}
			valid++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for f := range wantParse {
		if !gotParse[f] {
			t.Errorf("%s is a broken fixture, but an editor would read it", f)
		}
	}
	for name := range wantSchema {
		if !gotSchema[name] {
			t.Errorf("document %s should break the schema, but an editor would accept it", name)
		}
	}
	if valid < 100 {
		t.Errorf("only %d valid documents under examples/: is the walk reading them?", valid)
	}
}

// TestInitFilesValidateInAnEditor: what orgctl init writes passes the schema
// as an editor checks it, and every document carries the modeline that
// points the editor at the schema.
func TestInitFilesValidateInAnEditor(t *testing.T) {
	sch, err := compileEditorSchema(t, schema.JSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, repo := range []string{"", "acme/people"} {
		files, _, err := scaffold.Files(t.TempDir(), repo)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, f := range files {
			if !strings.HasSuffix(f.Path, ".yaml") || strings.HasPrefix(f.Path, ".github/") {
				continue
			}
			docs, err := readEditorDocs(f.Path, f.Data)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			if want := strings.Count(string(f.Data), "# yaml-language-server: $schema="+schema.SchemaURL+"\n"); want != len(docs) {
				t.Errorf("%s: %d documents but %d modelines", f.Path, len(docs), want)
			}
			for _, doc := range docs {
				if err := sch.Validate(doc.value); err != nil {
					t.Errorf("%s, document %d: %v", f.Path, doc.index, err)
				}
				kinds = append(kinds, doc.value.(map[string]any)["kind"].(string))
			}
		}
		slices.Sort(kinds)
		if got := strings.Join(kinds, ","); got != "Person,Person,Person,Policy,Team" {
			t.Errorf("init writes %s documents, want Person×3, Policy, Team", got)
		}
	}
}
