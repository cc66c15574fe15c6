package main

import (
	"strings"
	"testing"
)

// TestGetTableOnATerminal: on a terminal, get prints an aligned table with
// a header and <none> in empty cells; piped, the same rows are
// tab-separated without a header (as gh does).
func TestGetTableOnATerminal(t *testing.T) {
	args := []string{"get", "people", "ruth", "eva", "-f", "../../examples/acme", "-o", "wide"}

	ios, out, errOut := testIO(nil)
	ios.OutTTY = true
	if code := run(args, ios); code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	want := "" +
		"NAME   TEAM     LEVEL    MANAGER   COACH    STATUS   GITHUB    MENTORS   FINDINGS\n" +
		"ruth   <none>   <none>   <none>    <none>   active   <none>    <none>    0\n" +
		"eva    sales    staff    marco     oksana   active   edekker   <none>    0\n"
	if got := out.String(); got != want {
		t.Errorf("terminal output:\n%s\nwant:\n%s", got, want)
	}

	ios, out, _ = testIO(nil)
	if code := run(args, ios); code != 0 {
		t.Fatalf("piped: exit code %d", code)
	}
	want = "ruth\t\t\t\t\tactive\t\t\t0\n" +
		"eva\tsales\tstaff\tmarco\toksana\tactive\tedekker\t\t0\n"
	if got := out.String(); got != want {
		t.Errorf("piped output:\n%q\nwant:\n%q", got, want)
	}
}

func TestWriteTableKeepsUserTextOnOneLine(t *testing.T) {
	for _, tty := range []bool{true, false} {
		var b strings.Builder
		rows := [][]string{{"a\tb", "line\nbreak", "\x1b[31mred", "rtl\u202eevil"}}
		if err := writeTable(&b, tty, []string{"A", "B", "C", "D"}, rows); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		if want := map[bool]int{true: 2, false: 1}[tty]; len(lines) != want {
			t.Errorf("tty=%v: %d lines, want %d:\n%s", tty, len(lines), want, got)
		}
		if strings.ContainsAny(got, "\x1b\u202e") || (!tty && strings.Count(got, "\t") != 3) {
			t.Errorf("tty=%v: control characters or extra tabs reach the output: %q", tty, got)
		}
		if !strings.Contains(got, `\x1b[31mred`) || !strings.Contains(got, `rtl\u202eevil`) {
			t.Errorf("tty=%v: control characters are not shown as escapes: %q", tty, got)
		}
	}
}
