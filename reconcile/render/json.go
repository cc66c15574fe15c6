package render

import (
	"encoding/json"
	"io"

	"github.com/orgctl/orgctl/reconcile"
)

// JSON writes {"findings":[...],"summary":{...}} as documented in SPEC §4,
// indented by two spaces: the field names (the tags on reconcile.Finding
// and reconcile.Summary) are an interface and are never renamed, and a
// clean org has "findings": [], never null. With o.Verbose, exempt findings
// are included with "exempt": true.
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
