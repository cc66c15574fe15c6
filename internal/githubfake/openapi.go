package githubfake

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// This file checks every request the fake receives and every response it
// returns against GitHub's own OpenAPI description, with kin-openapi. The
// description is the subset of @octokit/openapi's api.github.com.json that
// the fake serves (testdata/regenerate.sh writes it). The route is found by
// kin-openapi's gorillamux router, independently of the fake's own route
// table, and the two must agree.

//go:embed testdata/api.github.com.subset.json
var subsetJSON []byte

// allowance is one entry of the allow-list: a place where GitHub's
// description is known to be wrong about what GitHub does, and the smallest
// change that makes the description right. Each is applied to the decoded
// description before kin-openapi loads it; the file on disk stays GitHub's.
type allowance struct {
	// at is a JSON pointer into the description; fix changes what it points to.
	at  string
	fix func(parent map[string]any, key string) error
	why string
}

// allowList is the description's known mistakes, as far as the fake's
// operations go. Keep it short: every entry hides a difference between
// GitHub's description and GitHub, so each says why it is right to.
var allowList = []allowance{
	{
		at:  "/paths/~1repos~1{owner}~1{repo}~1contents~1{path}/put/responses/409/content/application~1json/schema",
		fix: oneOfToAnyOf,
		why: "the 409 body is oneOf basic-error and repository-rule-violation-error, whose properties are all optional, " +
			"so every error body (GitHub's {message, documentation_url, status} included) matches both and oneOf rejects it",
	},
	{
		at:  "/paths/~1repos~1{owner}~1{repo}~1git~1ref~1{ref}",
		fix: greedyParam("ref"),
		why: "{ref} is declared as an ordinary path parameter (one segment), but refs are " +
			"\"heads/<branch>\", with slashes, and GitHub's own examples send them unescaped; the router must match the rest of the path",
	},
	{
		at:  "/paths/~1repos~1{owner}~1{repo}~1git~1refs~1{ref}",
		fix: greedyParam("ref"),
		why: "as above, for updating and deleting a ref",
	},
	{
		at:  "/paths/~1repos~1{owner}~1{repo}~1contents~1{path}",
		fix: greedyParam("path"),
		why: "{path} is a file path (\"people/alice.yaml\"); GitHub takes its slashes unescaped, the description declares one segment",
	},
	{
		at:  "/components/schemas/pull-request-simple/properties/labels/items/properties/description",
		fix: nullable,
		why: "a label without a description has \"description\": null wherever GitHub shows it; the description says so for " +
			"pull-request and label, but not for the labels of pull-request-simple (the pull request list)",
	},
	{
		at:  "/paths",
		fix: declareEverywhere("404", "not_found", false),
		why: "GitHub answers 404 on every operation when the repository (or the issue, pull request, comment or ref) " +
			"does not exist or is not visible to the token, but the description leaves 404 out of several operations " +
			"(update and delete an issue comment, create a pull request, the git refs operations, ...)",
	},
	{
		at:  "/paths",
		fix: declareEverywhere("400", "bad_request", true),
		why: "GitHub answers 400 \"Problems parsing JSON\" to any body that is not JSON; the description declares it on " +
			"few operations (the request check reports such a request anyway)",
	},
}

// declareEverywhere adds a response (a components/responses entry) under
// status to every operation that lacks one, or only to those that take a
// request body when withBody is set.
func declareEverywhere(status, component string, withBody bool) func(map[string]any, string) error {
	return func(parent map[string]any, key string) error {
		paths, ok := parent[key].(map[string]any)
		if !ok {
			return fmt.Errorf("no paths")
		}
		for _, item := range paths {
			for method, op := range item.(map[string]any) {
				op, ok := op.(map[string]any)
				if !ok || method == "parameters" {
					continue
				}
				if _, hasBody := op["requestBody"]; withBody && !hasBody {
					continue
				}
				responses := op["responses"].(map[string]any)
				if _, declared := responses[status]; !declared {
					responses[status] = map[string]any{"$ref": "#/components/responses/" + component}
				}
			}
		}
		return nil
	}
}

// nullable lets a schema accept null.
func nullable(parent map[string]any, key string) error {
	schema, ok := parent[key].(map[string]any)
	if !ok {
		return fmt.Errorf("no schema")
	}
	if schema["nullable"] == true {
		return fmt.Errorf("already nullable")
	}
	schema["nullable"] = true
	return nil
}

// oneOfToAnyOf accepts a value that matches more than one of the alternatives.
func oneOfToAnyOf(parent map[string]any, key string) error {
	schema, ok := parent[key].(map[string]any)
	if !ok || schema["oneOf"] == nil {
		return fmt.Errorf("no oneOf")
	}
	schema["anyOf"] = schema["oneOf"]
	delete(schema, "oneOf")
	return nil
}

// greedyParam rewrites a path template so that its parameter param (the
// last segment) matches the rest of the path, slashes included, in
// gorilla/mux syntax ({param:.+}); the parameter keeps its name.
func greedyParam(param string) func(map[string]any, string) error {
	return func(paths map[string]any, key string) error {
		item, ok := paths[key]
		if !ok {
			return fmt.Errorf("no path %s", key)
		}
		greedyKey := strings.Replace(key, "{"+param+"}", "{"+param+":.+}", 1)
		if greedyKey == key {
			return fmt.Errorf("path %s has no parameter {%s}", key, param)
		}
		delete(paths, key)
		paths[greedyKey] = item
		return nil
	}
}

// ungreedy turns a rewritten path template back into GitHub's spelling.
func ungreedy(template string) string { return strings.ReplaceAll(template, ":.+}", "}") }

// description is the loaded subset, ready to validate against.
type description struct {
	doc     *openapi3.T
	router  routers.Router
	options openapi3filter.Options
	// docs maps "METHOD /template" to the operation's documentation URL.
	docs map[string]string
}

var (
	descOnce sync.Once
	desc     *description
	descErr  error
)

// loadDescription loads the embedded subset once per process.
func loadDescription() (*description, error) {
	descOnce.Do(func() { desc, descErr = parseDescription(subsetJSON) })
	return desc, descErr
}

func parseDescription(data []byte) (*description, error) {
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("decoding GitHub's OpenAPI subset (run testdata/regenerate.sh): %w", err)
	}
	for _, a := range allowList {
		parent, key, err := pointerParent(raw, a.at)
		if err == nil {
			err = a.fix(parent, key)
		}
		if err != nil {
			return nil, fmt.Errorf("applying the allow-list entry at %s: %w (is it still needed?)", a.at, err)
		}
	}
	fixed, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(fixed)
	if err != nil {
		return nil, fmt.Errorf("loading GitHub's OpenAPI subset: %w", err)
	}
	// Requests reach the fake on 127.0.0.1, not api.github.com: match paths only.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("routing GitHub's OpenAPI subset: %w", err)
	}
	d := &description{doc: doc, router: router, docs: map[string]string{}}
	for template, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.ExternalDocs != nil {
				d.docs[method+" "+ungreedy(template)] = op.ExternalDocs.URL
			}
		}
	}
	d.options = openapi3filter.Options{
		MultiError:         true,
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{
			// The description says "format: uri" for every url field; check them.
			openapi3.WithStringFormatValidator("uri", openapi3.NewCallbackValidator(func(s string) error {
				u, err := url.Parse(s)
				if err != nil || u.Scheme == "" || u.Host == "" {
					return fmt.Errorf("not an absolute URI")
				}
				return nil
			})),
		},
	}
	d.options.WithCustomSchemaErrorFunc(func(err *openapi3.SchemaError) string {
		return fmt.Sprintf("at /%s: %s", strings.Join(err.JSONPointer(), "/"), err.Reason)
	})
	return d, nil
}

// pointerParent resolves a JSON pointer to its parent object and last key.
func pointerParent(doc map[string]any, pointer string) (map[string]any, string, error) {
	parts := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	for i := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(parts[i], "~1", "/"), "~0", "~")
	}
	node := doc
	for _, p := range parts[:len(parts)-1] {
		next, ok := node[p].(map[string]any)
		if !ok {
			return nil, "", fmt.Errorf("nothing at %q", p)
		}
		node = next
	}
	return node, parts[len(parts)-1], nil
}

// documentationURL is the operation's documentation_url, as GitHub puts in
// its error bodies.
func documentationURL(method, template string) string {
	if desc != nil {
		if u, ok := desc.docs[method+" "+template]; ok {
			return u
		}
	}
	return docsRoot
}

// validation carries a checked request on to the check of its response.
type validation struct {
	input  *openapi3filter.RequestValidationInput
	method string
	target string
}

// checkRequest validates the request against the description and reports
// any mismatch on the test. It returns what checkResponse needs, or nil
// when the description has no such operation.
func (s *Server) checkRequest(r *http.Request, apiPath, escaped string, body []byte, rt *route) *validation {
	d := desc
	target := apiPath
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	req := r.Clone(context.Background())
	req.URL.Path, req.URL.RawPath = apiPath, escaped
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))

	found, params, err := d.router.FindRoute(req)
	if err != nil {
		s.t.Errorf("githubfake: %s %s: GitHub's OpenAPI description has no such operation: %v", r.Method, target, err)
		return nil
	}
	if template := ungreedy(found.Path); template != rt.path {
		s.t.Errorf("githubfake: %s %s: the fake routes it to %s but GitHub's description to %s", r.Method, target, rt.path, template)
	}
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: found, Options: &d.options}
	if err := openapi3filter.ValidateRequest(context.Background(), input); err != nil {
		s.t.Errorf("githubfake: %s %s: the request does not match GitHub's OpenAPI description: %v", r.Method, target, err)
	}
	return &validation{input: input, method: r.Method, target: target}
}

// checkResponse validates a response against the description. A status the
// description does not declare is a mismatch only for what the handler
// answered: GitHub sends 401, 429 and 5xx on any operation, declared or not.
func (s *Server) checkResponse(v *validation, resp *response) {
	opts := desc.options
	opts.IncludeResponseStatus = resp.fromHandler
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: v.input,
		Status:                 resp.status,
		Header:                 resp.header,
		Options:                &opts,
	}
	input.SetBodyBytes(resp.body)
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		s.t.Errorf("githubfake: %s %s: the fake's %d response does not match GitHub's OpenAPI description (a bug in githubfake): %v",
			v.method, v.target, resp.status, err)
	}
}
