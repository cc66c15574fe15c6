// Package buildinfo says which orgctl a binary is: its version, the commit
// it was built from and the Go that built it, for orgctl version, --version
// and SARIF's tool.driver.
package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// Info is what `orgctl version` prints; its JSON is `orgctl version -o
// json`, what a bug report or a release check needs to know.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Go      string `json:"go"`
	// OS and Arch are the platform the binary runs on (text output only).
	OS   string `json:"-"`
	Arch string `json:"-"`
}

// devVersion is the version of a build that recorded none.
const devVersion = "0.0.0-dev"

// Read describes the running binary. version and commit are what a release
// build set with -ldflags -X (make build, .ci/release); when they are
// empty, what Go recorded is used: the module version (0.0.0-dev for a
// build from a checkout) and the checkout's commit, with "-dirty" when the
// tree had changes ("" when none was recorded).
func Read(version, commit string) Info {
	bi, _ := debug.ReadBuildInfo()
	return Info{Version: Version(version, bi), Commit: Commit(commit, bi), Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
}

// Version is version when set, else the main module's version bi
// records, else 0.0.0-dev.
func Version(version string, bi *debug.BuildInfo) string {
	if version != "" {
		return version
	}
	if bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return devVersion
}

// Commit is commit when set, else the VCS revision bi records, with
// "-dirty" when the tree had changes; "" when there is none.
func Commit(commit string, bi *debug.BuildInfo) string {
	if commit != "" || bi == nil {
		return commit
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" && dirty {
		rev += "-dirty"
	}
	return rev
}
