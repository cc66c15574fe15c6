package render

import (
	"strings"
	"testing"
)

func TestWriteTableKeepsUserTextOnOneLine(t *testing.T) {
	for _, tty := range []bool{true, false} {
		var b strings.Builder
		rows := [][]string{{"a\tb", "line\nbreak", "\x1b[31mred", "rtl\u202eevil"}}
		if err := WriteTable(&b, TableOptions{TTY: tty}, []string{"A", "B", "C", "D"}, rows); err != nil {
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
