package main

import (
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
