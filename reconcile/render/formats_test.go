package render

import (
	"slices"
	"testing"
)

func TestCheckOutput(t *testing.T) {
	for _, tc := range []struct {
		command, format, resource string
		want, err                 string
	}{
		{command: "validate", want: "text"},
		{command: "validate", format: "sarif", want: "sarif"},
		{command: "suggest", want: "table"},
		{command: "suggest", format: "text", want: "table"},
		{command: "plan", format: "md", want: "markdown"},
		{command: "plan", format: "text", want: "text"},
		{command: "get", format: "custom-columns=NAME:.metadata.name", want: "custom-columns=NAME:.metadata.name"},
		{command: "get", format: "text", want: "table"},
		{command: "history", format: "json", want: "json"},
		{command: "comment", want: ""},
		{command: "not in the table", format: "anything", want: "anything"},
		{command: "validate", format: "md", err: `unknown output format "md": use text, json, github or sarif`},
		{command: "get", format: "csv", err: `unknown output format "csv": use table, wide, yaml, json, name or custom-columns=SPEC`},
		{command: "history", format: "yaml", err: `unknown output format "yaml": use text or json`},
		{command: "schema", format: "yaml", err: `unknown output format "yaml": schema writes json only (drop -o, or use -o json)`},
		{command: "describe", format: "yaml", resource: "teams", err: `unknown output format "yaml": describe writes text only: for yaml, use orgctl get teams NAME -o yaml`},
		{command: "init", format: "json", err: `unknown output format "json": init prints text only: drop -o json`},
		{command: "completion zsh", format: "json", err: `unknown output format "json": completion writes a zsh script only, so -o is not supported: drop it`},
	} {
		got, err := CheckOutput(tc.command, tc.format, tc.resource)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("CheckOutput(%q, %q) = %q, %v; want %q", tc.command, tc.format, got, err, tc.want)
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("CheckOutput(%q, %q) error = %v, want %q", tc.command, tc.format, err, tc.err)
		}
	}
}

func TestOutputFormatsListTheDefaultFirst(t *testing.T) {
	for command, want := range map[string][]string{
		"validate": Formats,
		"suggest":  {"table", "json"},
		"get":      append(slices.Clone(GetFormats), CustomColumnsPrefix),
		"comment":  nil,
		"unknown":  nil,
	} {
		if got := OutputFormats(command); !slices.Equal(got, want) {
			t.Errorf("OutputFormats(%q) = %q, want %q", command, got, want)
		}
	}
}
