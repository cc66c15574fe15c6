package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"

	"github.com/orgctl/orgctl/internal/testtool"
)

// mermaidCLI finds mmdc (@mermaid-js/mermaid-cli) and writes a puppeteer
// configuration for a local chromium, or skips the test (fails it in CI). mmdc is $MMDC or
// on PATH; the configuration is $MMDC_PUPPETEER_CONFIG, or one made here
// for $PUPPETEER_EXECUTABLE_PATH, $CHROMIUM_PATH, or chromium on PATH.
// testdata/install-mermaid.sh installs both and prints these settings.
func mermaidCLI(t *testing.T) (mmdc, config string) {
	t.Helper()
	const how = "run eval \"$(reconcile/render/testdata/install-mermaid.sh DIR)\" to install it"
	mmdc = testtool.Need(t, "mmdc (@mermaid-js/mermaid-cli)", how, "$MMDC", "mmdc")
	if config = os.Getenv("MMDC_PUPPETEER_CONFIG"); config != "" {
		return mmdc, config
	}
	browser := testtool.Need(t, "chromium for mmdc", "set PUPPETEER_EXECUTABLE_PATH or "+how,
		"$PUPPETEER_EXECUTABLE_PATH", "$CHROMIUM_PATH", "chromium", "chromium-browser", "google-chrome")
	cfg, err := json.Marshal(map[string]any{
		"executablePath": browser,
		"args":           []string{"--no-sandbox", "--headless", "--disable-gpu"},
	})
	if err != nil {
		t.Fatal(err)
	}
	config = filepath.Join(t.TempDir(), "puppeteer.json")
	if err := os.WriteFile(config, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	return mmdc, config
}

// renderMermaid draws a chart with mmdc into out (.svg or .png) and fails
// the test when mmdc does: Mermaid refuses a diagram it cannot parse.
func renderMermaid(t *testing.T, mmdc, config string, g Graph, out string) {
	t.Helper()
	var b bytes.Buffer
	if err := Mermaid(&b, g); err != nil {
		t.Fatal(err)
	}
	in := strings.TrimSuffix(out, filepath.Ext(out)) + ".mmd"
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(mmdc, "--quiet", "--puppeteerConfigFile", config, "--backgroundColor", "white",
		"--width", "2400", "--input", in, "--output", out)
	if console, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mmdc could not draw %s: %v\n%s\n--- input:\n%s", in, err, console, b.String())
	}
	st, err := os.Stat(out)
	if err != nil || st.Size() == 0 {
		t.Fatalf("mmdc wrote no %s: %v", out, err)
	}
}

// TestMermaidRenders draws the example org's chart (as PNG, and as SVG to
// read back) and the hostile fixture's with the real Mermaid, in a headless
// chromium: the output parses, every person is drawn, and hostile names
// come out as text, not markup. Skips without mmdc and a chromium. Set
// ORGCTL_KEEP_RENDER=DIR to keep the pictures.
func TestMermaidRenders(t *testing.T) {
	mmdc, config := mermaidCLI(t)
	dir := os.Getenv("ORGCTL_KEEP_RENDER")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}

	t.Run("examples/acme", func(t *testing.T) {
		set, err := (&schema.Loader{}).LoadPaths([]string{"../../examples/acme"})
		if err != nil {
			t.Fatal(err)
		}
		o := reconcile.Build(set)
		g, err := BuildGraph(o, o.Check(set, reconcile.Options{}).Reported(false), GraphOptions{})
		if err != nil {
			t.Fatal(err)
		}
		renderMermaid(t, mmdc, config, g, filepath.Join(dir, "acme.png"))
		svg := filepath.Join(dir, "acme.svg")
		renderMermaid(t, mmdc, config, g, svg)
		data, err := os.ReadFile(svg)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range g.Nodes {
			if !bytes.Contains(data, []byte(n.DisplayName)) {
				t.Errorf("%s (%s) is not in the drawing", n.Name, n.DisplayName)
			}
		}
		g, err = BuildGraph(o, nil, GraphOptions{Team: "engineering"})
		if err != nil {
			t.Fatal(err)
		}
		renderMermaid(t, mmdc, config, g, filepath.Join(dir, "acme-engineering.png"))
	})

	t.Run("member-less divisions", func(t *testing.T) {
		o, res := loadOrg(t, divisionsFixture(), false)
		for _, opts := range []GraphOptions{{}, {Team: "product"}, {Person: "eve", Depth: 1}} {
			g, err := BuildGraph(o, res.Reported(false), opts)
			if err != nil {
				t.Fatal(err)
			}
			svg := filepath.Join(dir, fmt.Sprintf("divisions-%s%s.svg", opts.Team, opts.Person))
			renderMermaid(t, mmdc, config, g, svg)
			data, err := os.ReadFile(svg)
			if err != nil {
				t.Fatal(err)
			}
			for _, tm := range g.Teams {
				if !bytes.Contains(data, []byte(tm.DisplayName)) {
					t.Errorf("%+v: the box of %s (%s) is not in the drawing", opts, tm.Name, tm.DisplayName)
				}
			}
		}
	})

	t.Run("hostile labels", func(t *testing.T) {
		o, res := loadOrg(t, graphFixture(), false)
		g, err := BuildGraph(o, res.Reported(false), GraphOptions{})
		if err != nil {
			t.Fatal(err)
		}
		svg := filepath.Join(dir, "hostile.svg")
		renderMermaid(t, mmdc, config, g, svg)
		data, err := os.ReadFile(svg)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if strings.Contains(s, "<b>O'Neil</b>") {
			t.Errorf("a display name's <b> became markup in the SVG")
		}
		for _, want := range []string{"&lt;b&gt;O'Neil&lt;/b&gt;", "[lead] {x} (a|b) #1 &amp;amp; `c`;", "Enda End", "ops-lead"} {
			if !strings.Contains(s, want) {
				t.Errorf("the SVG does not show %q as text", want)
			}
		}
	})
}
