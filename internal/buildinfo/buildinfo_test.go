package buildinfo

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestVersionAndCommit(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	for _, tc := range []struct {
		name                    string
		version, commit         string
		bi                      *debug.BuildInfo
		wantVersion, wantCommit string
	}{
		{"a release build's -ldflags win", "v1.2.3", "abc123", &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}, Settings: settings("vcs.revision", "fff", "vcs.modified", "true")}, "v1.2.3", "abc123"},
		{"go install of a tag: the module version", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0", ""},
		{"a checkout: dev version, the commit Go recorded", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: settings("vcs.revision", "0123abc", "vcs.modified", "false")}, "0.0.0-dev", "0123abc"},
		{"a checkout with changes is dirty", "", "", &debug.BuildInfo{Settings: settings("vcs.modified", "true", "vcs.revision", "0123abc")}, "0.0.0-dev", "0123abc-dirty"},
		{"changes but no revision: no commit", "", "", &debug.BuildInfo{Settings: settings("vcs.modified", "true")}, "0.0.0-dev", ""},
		{"no build information at all", "", "", nil, "0.0.0-dev", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Version(tc.version, tc.bi); got != tc.wantVersion {
				t.Errorf("Version = %q, want %q", got, tc.wantVersion)
			}
			if got := Commit(tc.commit, tc.bi); got != tc.wantCommit {
				t.Errorf("Commit = %q, want %q", got, tc.wantCommit)
			}
		})
	}
}

func TestReadNamesTheRunningGoAndPlatform(t *testing.T) {
	i := Read("v1.0.0", "c0ffee")
	if i.Version != "v1.0.0" || i.Commit != "c0ffee" || i.Go != runtime.Version() || i.OS != runtime.GOOS || i.Arch != runtime.GOARCH {
		t.Errorf("Read = %+v", i)
	}
}
