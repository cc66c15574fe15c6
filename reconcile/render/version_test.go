package render

import (
	"strings"
	"testing"

	"github.com/orgctl/orgctl/internal/buildinfo"
)

func TestWriteVersion(t *testing.T) {
	v := buildinfo.Info{Version: "v1.2.3", Commit: "abc123-dirty", Go: "go1.26.0", OS: "linux", Arch: "arm64"}
	for _, tc := range []struct {
		name, format string
		info         buildinfo.Info
		want         string
	}{
		{"text", "text", v, "orgctl v1.2.3 (commit abc123-dirty, go1.26.0 linux/arm64)\n"},
		{"text without a commit", "", buildinfo.Info{Version: "0.0.0-dev", Go: "go1.26.0", OS: "darwin", Arch: "amd64"}, "orgctl 0.0.0-dev (commit unknown, go1.26.0 darwin/amd64)\n"},
		{"json leaves the platform out", "json", v, "{\n  \"version\": \"v1.2.3\",\n  \"commit\": \"abc123-dirty\",\n  \"go\": \"go1.26.0\"\n}\n"},
		{"json keeps an empty commit", "json", buildinfo.Info{Version: "0.0.0-dev", Go: "go1.26.0"}, "{\n  \"version\": \"0.0.0-dev\",\n  \"commit\": \"\",\n  \"go\": \"go1.26.0\"\n}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteVersion(tc.format, &b, tc.info); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("wrote %q, want %q", b.String(), tc.want)
			}
		})
	}
}
