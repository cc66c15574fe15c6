package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's chromium: $CHROMIUM_PATH, else chromium or
// chromium-browser on PATH. Without it the browser tests skip, except in
// CI (CI=true), where a missing browser is a failure: .ci/run installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: CI must run the browser test (apt-get install -y chromium, or set CHROMIUM_PATH)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium, or set CHROMIUM_PATH): skipping the browser test")
	return ""
}

// browserPage is what a real browser made of a page: every console message
// at error level, uncaught exception and browser-log error (a CSP
// violation is one), and a way to ask the page questions.
type browserPage struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func (b *browserPage) errs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// openInBrowser starts headless chromium with the flags this machine needs
// (no sandbox as root, no GPU, no background networking: nothing may go to
// the network), loads the file and waits for it to be loaded.
func openInBrowser(t *testing.T, path string) *browserPage {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 800),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("no-default-browser-check", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	b := &browserPage{ctx: ctx}
	// Start the browser, then listen before navigating so nothing is missed.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				msg = fmt.Sprintf("console.%s", ev.Type)
				for _, a := range ev.Args {
					msg += " " + string(a.Value) + a.Description
				}
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				msg = fmt.Sprintf("log (%s): %s", ev.Entry.Source, ev.Entry.Text)
			}
		}
		if msg != "" {
			b.mu.Lock()
			b.errors = append(b.errors, msg)
			b.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx2, chromedp.Navigate("file://"+path), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("loading %s in chromium: %v", path, err)
	}
	// Console messages arrive as events; give the last ones a moment.
	time.Sleep(300 * time.Millisecond)
	return b
}

func (b *browserPage) eval(t *testing.T, js string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return n
}

// artifactDir is where screenshots go: $ORGCTL_ARTIFACTS when set (CI
// keeps it), else the test's temporary directory. Never the source tree.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("ORGCTL_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func writeReportHTML(t *testing.T, edit func(string) string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := ReportHTML(&buf, sampleReport(45, 7)); err != nil {
		t.Fatal(err)
	}
	page := edit(buf.String())
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReportHTMLInChromium loads the HTML report in a real headless
// chromium: no console error, no exception and no CSP violation; the
// style sheet the CSP allows is applied; each chart has its marks drawn
// with a size; a screenshot is kept as an artefact.
func TestReportHTMLInChromium(t *testing.T) {
	path := writeReportHTML(t, func(s string) string { return s })
	b := openInBrowser(t, path)
	if errs := b.errs(); len(errs) > 0 {
		t.Errorf("the report logged %d errors in chromium:\n%s", len(errs), strings.Join(errs, "\n"))
	}
	for _, c := range []struct {
		what, sel string
		want      int
	}{
		{"trend points", "#trend-chart circle.point", 2 * 7},
		{"trend lines", "#trend-chart polyline", 2},
		{"load bars", "#load-chart rect.bar", maxBars},
		{"capacity ticks", "#load-chart line.cap", maxBars},
		{"level-gap bars", "#gaps-chart rect.bar", 3},
		{"load table rows", "#load-table tbody tr", 45},
		{"charts with a title", "svg[role=img] > title", 3},
	} {
		if got := b.eval(t, fmt.Sprintf(`document.querySelectorAll(%q).length`, c.sel)); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
	// Drawn, not just present: every bar with coachees has a width on
	// screen, and the gap bar of 0 pairings has none.
	if got := b.eval(t, `[...document.querySelectorAll('#load-chart rect.bar')].filter(r => r.getBoundingClientRect().width > 1).length`); got != maxBars {
		t.Errorf("%d load bars have a width on screen, want %d", got, maxBars)
	}
	if got := b.eval(t, `[...document.querySelectorAll('#gaps-chart rect.bar')].filter(r => r.getBoundingClientRect().height > 1).length`); got != 2 {
		t.Errorf("%d level-gap bars have a height on screen, want 2 (one bucket is empty)", got)
	}
	// The hashed style sheet applied: an over-capacity bar is red.
	if got := b.eval(t, `getComputedStyle(document.querySelector('#load-chart rect.over')).fill === 'rgb(207, 34, 46)' ? 1 : 0`); got != 1 {
		t.Errorf("the style sheet was not applied (is the CSP hash right?)")
	}
	// No script ran and nothing was fetched: the page has no script
	// element, and the only resource is the document itself.
	if got := b.eval(t, `document.scripts.length + performance.getEntriesByType('resource').length`); got != 0 {
		t.Errorf("the page has scripts or loaded %d resources", got)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("the screenshot is not a PNG")
	}
	shot := filepath.Join(artifactDir(t), "report.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
}

// TestBrowserCatchesCSPViolations is the control for the test above: the
// same report with its style sheet changed by one character no longer
// matches the CSP hash, and with an inline script the script is refused;
// chromium reports both, and the listener sees them.
func TestBrowserCatchesCSPViolations(t *testing.T) {
	path := writeReportHTML(t, func(s string) string {
		s = strings.Replace(s, "<style>\nbody{", "<style>\nbody {", 1)
		return strings.Replace(s, "</main>", "<script>console.error('ran')</script></main>", 1)
	})
	b := openInBrowser(t, path)
	errs := ""
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if errs = strings.Join(b.errs(), "\n"); strings.Contains(errs, "style") && strings.Contains(errs, "script") {
			break
		}
	}
	if !strings.Contains(errs, "style") || !strings.Contains(errs, "script") || strings.Contains(errs, "ran") {
		t.Fatalf("want a refused style sheet and a refused script, and the script not run; got:\n%s", errs)
	}
	if got := b.eval(t, `getComputedStyle(document.querySelector('#load-chart rect.over')).fill === 'rgb(207, 34, 46)' ? 1 : 0`); got != 0 {
		t.Errorf("a style sheet the CSP does not allow was applied")
	}
}
