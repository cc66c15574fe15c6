package render

import (
	"encoding/json"
	"io"

	"github.com/orgctl/orgctl/reconcile"
)

// JSON writes {"findings":[...],"summary":{...}} as documented in SPEC §4:
// field names are an interface and are never renamed.
func JSON(w io.Writer, r reconcile.Result, o Options) error {
	out := reconcile.Result{Findings: r.Reported(o.Verbose), Summary: r.Summary}
	if out.Findings == nil {
		out.Findings = []reconcile.Finding{}
	}
	return WriteJSON(w, out)
}

// WriteJSON writes v as indented JSON with a trailing newline, without
// HTML escaping (messages contain < and > legitimately).
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
