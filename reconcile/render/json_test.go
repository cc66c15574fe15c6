package render

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

// TestJSONKeepsTheSpecFieldNames checks SPEC §4's interface: these names
// are never renamed, whatever else is added.
func TestJSONKeepsTheSpecFieldNames(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, fixture(), Options{}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Findings []map[string]any `json:"findings"`
		Summary  map[string]any   `json:"summary"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != 4 {
		t.Fatalf("want the 4 findings that are not exempt, got %d", len(got.Findings))
	}
	for i, f := range got.Findings {
		for _, k := range []string{"rule", "severity", "subject", "fingerprint", "message", "file", "line", "column"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding %d lacks %q: %v", i, k, f)
			}
		}
		if _, ok := f["exempt"]; ok {
			t.Errorf("finding %d says exempt without -v: %v", i, f)
		}
	}
	for _, k := range []string{"people", "teams", "errors", "warnings"} {
		if _, ok := got.Summary[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	first := got.Findings[0]
	if first["severity"] != "error" || first["line"] != 8.0 || first["column"] != 1.0 || first["fingerprint"] != "parse/broken/tabs.yaml" {
		t.Errorf("first finding is %v", first)
	}
	if got.Findings[2]["column"] != 0.0 {
		t.Errorf("an unknown column is 0, got %v", got.Findings[2]["column"])
	}
}

func TestJSONRoundTrips(t *testing.T) {
	for _, verbose := range []bool{false, true} {
		var b bytes.Buffer
		r := fixture()
		if err := JSON(&b, r, Options{Verbose: verbose}); err != nil {
			t.Fatal(err)
		}
		var back reconcile.Result
		dec := json.NewDecoder(&b)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&back); err != nil {
			t.Fatal(err)
		}
		want := reconcile.Result{Findings: r.Reported(verbose), Summary: r.Summary}
		if !reflect.DeepEqual(back, want) {
			t.Errorf("verbose=%v: round trip changed the result:\n got %+v\nwant %+v", verbose, back, want)
		}
	}
}

func TestJSONLayout(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, clean(), Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "\n  \"findings\": [],\n") {
		t.Errorf("a clean org must have \"findings\": [], never null:\n%s", out)
	}
	if !strings.HasSuffix(out, "}\n") || strings.HasSuffix(out, "\n\n") {
		t.Errorf("want exactly one trailing newline:\n%q", out)
	}
	b.Reset()
	if err := JSON(&b, fixture(), Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\n    {\n      \"rule\": \"parse\",") {
		t.Errorf("want two-space indentation:\n%s", b.String())
	}
	if !strings.Contains(b.String(), `<script>`) {
		t.Error("messages are data: JSON keeps < and > as they are (no \\u003c)")
	}
}
