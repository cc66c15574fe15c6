package schema

import (
	"fmt"
	"strings"
	"testing"
)

func TestScanNamesReadsWhatItCan(t *testing.T) {
	text := strings.Join([]string{
		"apiVersion: orgctl.dev/v1",              // 1
		"kind: Person",                           // 2
		"metadata:",                              // 3
		"  # comment",                            // 4
		"  labels: {name: not-this}",             // 5
		"  name: 'alice' # quoted",               // 6
		"spec: {displayName: [broken",            // 7
		"---",                                    // 8
		"apiVersion: orgctl.dev/v1",              // 9
		"kind: Team",                             // 10
		"metadata: {labels: {a: b}, name: core}", // 11
		"--- {apiVersion: orgctl.dev/v1, kind: Person, metadata: {name: bob}, spec: {}}", // 12
		"---",                          // 13
		"apiVersion: apps/v1",          // 14
		"kind: Deployment",             // 15
		"metadata: {name: web}",        // 16
		"---",                          // 17
		"apiVersion: orgctl.dev/v1",    // 18
		"kind: Person",                 // 19
		"metadata: {name: Not_A_Name}", // 20
		"",
	}, "\n")
	var got []string
	for _, n := range scanNames(strings.NewReader(text), 1, 1, 100) {
		got = append(got, fmt.Sprintf("%s %s %d:%d", n.kind, n.name, n.pos.Line, n.pos.Column))
	}
	// The labels' "name" inside metadata is a nested key, not the name;
	// the Deployment and the invalid name are left out.
	want := "Person alice 6:9|Team core 11:34|Person bob 12:64"
	if strings.Join(got, "|") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
	// Bounded: it stops at the limit.
	if n := len(scanNames(strings.NewReader(text), 1, 1, 1)); n != 1 {
		t.Errorf("limit 1 gave %d names", n)
	}
}
