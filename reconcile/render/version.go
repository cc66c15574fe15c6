package render

import (
	"cmp"
	"fmt"
	"io"

	"github.com/orgctl/orgctl/internal/buildinfo"
)

// WriteVersion writes orgctl version: one line of text, "orgctl v1.2.3
// (commit abc123, go1.26.0 linux/amd64)", or with format json the Info's
// version, commit and Go.
func WriteVersion(format string, w io.Writer, v buildinfo.Info) error {
	if format == "json" {
		return WriteJSON(w, v)
	}
	_, err := fmt.Fprintf(w, "orgctl %s (commit %s, %s %s/%s)\n", v.Version, cmp.Or(v.Commit, "unknown"), v.Go, v.OS, v.Arch)
	return err
}
