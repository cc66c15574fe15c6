package workflows_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/orgctl/orgctl/internal/testtool"
)

// needTools finds each of tools on PATH, or skips the test (fails it in
// CI, which has them all).
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		testtool.Need(t, tool, "install "+tool, tool)
	}
}

// fakeArchive is a release archive as .ci/release lays it out, whose
// orgctl is a shell script printing a version line.
func fakeArchive(t *testing.T, name, version string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	script := fmt.Sprintf("#!/bin/sh\necho 'orgctl %s (commit 0123456789abcdef0123456789abcdef01234567, go1.26.0 linux/amd64)'\n", version)
	for _, f := range []struct {
		name, body string
		mode       int64
	}{{name + "/", "", 0o755}, {name + "/orgctl", script, 0o755}, {name + "/LICENSE", "license\n", 0o644}} {
		h := &tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(f.name, "/") {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestVerifiedDownload runs the action's download script (the step every
// example workflow uses) against a local release server: it installs a
// release whose archive matches SHA256SUMS, and fails closed (non-zero exit,
// nothing added to PATH, no binary run) on a tampered archive, an archive
// SHA256SUMS does not list, a missing SHA256SUMS, a pinned sha256 that
// differs, and a version that is not a release.
func TestVerifiedDownload(t *testing.T) {
	needTools(t, "bash", "curl", "tar", "awk", "sha256sum")
	script := downloadScript(t)
	const version = "v0.1.0"
	name := "orgctl_0.1.0_linux_amd64"
	good := fakeArchive(t, name, version)
	tampered := bytes.Clone(good)
	tampered[len(tampered)/2] ^= 0xff

	tests := []struct {
		name    string
		archive []byte
		sums    string // "" serves no SHA256SUMS
		version string
		pin     string
		wantErr string
	}{
		{name: "matching archive", archive: good, sums: sum(good) + "  " + name + ".tar.gz\n"},
		{name: "matching archive, binary-mode line and a pinned sha256", archive: good, sums: "ffff  other.tar.gz\n" + sum(good) + " *" + name + ".tar.gz\n", pin: sum(good)},
		{name: "tampered archive", archive: tampered, sums: sum(good) + "  " + name + ".tar.gz\n", wantErr: "does not match SHA256SUMS"},
		{name: "archive not listed", archive: good, sums: sum(good) + "  orgctl_0.1.0_darwin_arm64.tar.gz\n", wantErr: "does not match SHA256SUMS"},
		{name: "no SHA256SUMS", archive: good, wantErr: "404"},
		{name: "pinned sha256 differs", archive: good, sums: sum(good) + "  " + name + ".tar.gz\n", pin: sum(tampered), wantErr: "with the pinned sha256"},
		{name: "not a release", archive: good, sums: sum(good) + "  " + name + ".tar.gz\n", version: "latest", wantErr: "must be a release"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/" + version + "/" + name + ".tar.gz":
					w.Write(tt.archive)
				case "/" + version + "/SHA256SUMS":
					if tt.sums == "" {
						http.NotFound(w, r)
						return
					}
					w.Write([]byte(tt.sums))
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			tmp := t.TempDir()
			ghPath, ghOut := filepath.Join(tmp, "path"), filepath.Join(tmp, "output")
			cmd := exec.Command("bash", "-c", script)
			v := version
			if tt.version != "" {
				v = tt.version
			}
			cmd.Env = append(os.Environ(), "ORGCTL_VERSION="+v, "ORGCTL_SHA256="+tt.pin, "ORGCTL_RELEASES="+srv.URL,
				"RUNNER_OS=Linux", "RUNNER_ARCH=X64", "RUNNER_TEMP="+tmp, "GITHUB_PATH="+ghPath, "GITHUB_OUTPUT="+ghOut)
			out, err := cmd.CombinedOutput()
			path, _ := os.ReadFile(ghPath)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(string(out), tt.wantErr) {
					t.Fatalf("err = %v, want a failure mentioning %q:\n%s", err, tt.wantErr, out)
				}
				if len(path) != 0 || strings.Contains(string(out), "installed in") {
					t.Fatalf("a failed check still installed orgctl (GITHUB_PATH %q):\n%s", path, out)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v:\n%s", err, out)
			}
			dir := strings.TrimSpace(string(path))
			if dir != filepath.Join(tmp, "orgctl-"+version, name) {
				t.Fatalf("GITHUB_PATH = %q", path)
			}
			if _, err := os.Stat(filepath.Join(dir, "orgctl")); err != nil {
				t.Fatal(err)
			}
			if o, _ := os.ReadFile(ghOut); string(o) != "version="+version+"\n" {
				t.Errorf("GITHUB_OUTPUT = %q, want version=%s", o, version)
			}
		})
	}
}

// sumsLineRE is one line of SHA256SUMS, as sha256sum writes it.
var sumsLineRE = regexp.MustCompile(`^([0-9a-f]{64})  (orgctl_[0-9A-Za-z.+-]+_(linux|darwin|windows)_(amd64|arm64)\.tar\.gz)$`)

// TestReleaseScriptBuildsAVerifiableArchive runs .ci/release (what `make
// release` and the release workflow run) for this machine's platform: it
// writes one archive and a SHA256SUMS whose line has sha256sum's format
// and the archive's real checksum, and the binary in the archive reports
// the version and commit it was given.
func TestReleaseScriptBuildsAVerifiableArchive(t *testing.T) {
	if testing.Short() {
		t.Skip("builds orgctl")
	}
	needTools(t, "bash", "git", "tar", "gzip", "sha256sum")
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("the release script runs on linux and macOS")
	}
	dist := t.TempDir()
	const version, commit = "v0.0.1-test", "0123456789abcdef0123456789abcdef01234567"
	cmd := exec.Command("bash", filepath.Join(repoRoot, ".ci/release"), version)
	cmd.Env = append(os.Environ(), "DIST="+dist, "COMMIT="+commit, "TARGETS="+runtime.GOOS+"/"+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(sums), "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("SHA256SUMS has %d lines, want 1:\n%s", len(lines), sums)
	}
	m := sumsLineRE.FindStringSubmatch(lines[0])
	want := fmt.Sprintf("orgctl_0.0.1-test_%s_%s.tar.gz", runtime.GOOS, runtime.GOARCH)
	if m == nil || m[2] != want {
		t.Fatalf("SHA256SUMS line %q, want \"HEX  %s\"", lines[0], want)
	}
	archive, err := os.ReadFile(filepath.Join(dist, want))
	if err != nil {
		t.Fatal(err)
	}
	if sum(archive) != m[1] {
		t.Fatalf("SHA256SUMS says %s, the archive's SHA-256 is %s", m[1], sum(archive))
	}
	check := exec.Command("sha256sum", "-c", "SHA256SUMS")
	check.Dir = dist
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("sha256sum -c: %v\n%s", err, out)
	}
	unpack := exec.Command("tar", "-xzf", want)
	unpack.Dir = dist
	if out, err := unpack.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	dir := filepath.Join(dist, strings.TrimSuffix(want, ".tar.gz"))
	for _, f := range []string{"orgctl", "LICENSE", "README.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the archive lacks %s: %v", f, err)
		}
	}
	out, err := exec.Command(filepath.Join(dir, "orgctl"), "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if wantLine := fmt.Sprintf("orgctl %s (commit %s, %s %s/%s)\n", version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH); string(out) != wantLine {
		t.Errorf("orgctl version = %q, want %q", out, wantLine)
	}
}

// TestReleaseWorkflow: a v* tag builds with .ci/release (the script tested
// above) for all six platforms, checks the sums, and publishes from a
// separate job that alone may write.
func TestReleaseWorkflow(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, ".github/workflows/release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		On struct {
			Push struct{ Tags []string }
		}
		Jobs map[string]struct {
			Needs string
			Steps []step
		}
	}
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	if len(w.On.Push.Tags) != 1 || w.On.Push.Tags[0] != "v*" {
		t.Errorf("release.yml runs on tags %v, want [v*]", w.On.Push.Tags)
	}
	runs := func(job string) string {
		var b strings.Builder
		for _, s := range w.Jobs[job].Steps {
			b.WriteString(s.Run + "\n")
		}
		return b.String()
	}
	for _, want := range []string{`.ci/release "$VERSION"`, "sha256sum -c SHA256SUMS"} {
		if !strings.Contains(runs("build"), want) {
			t.Errorf("release.yml job build does not run %q", want)
		}
	}
	if p := runs("publish"); !strings.Contains(p, "sha256sum -c SHA256SUMS") || !strings.Contains(p, `gh release create "$TAG"`) || w.Jobs["publish"].Needs != "build" {
		t.Errorf("release.yml job publish must need build, check the sums and run gh release create:\n%s", p)
	}
	script, err := os.ReadFile(filepath.Join(repoRoot, ".ci/release"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64", "CGO_ENABLED=0", "-trimpath", "-X main.version=", "-X main.commit="} {
		if !strings.Contains(string(script), want) {
			t.Errorf(".ci/release lacks %q", want)
		}
	}
}
