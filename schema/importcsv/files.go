package importcsv

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/schema"
)

// File is one file to write, Path relative to the org root with forward
// slashes.
type File struct {
	Path string
	Data []byte
}

// Files renders the result in the layout of an org repository (see
// examples/acme): teams.yaml with every Team, and people/TEAM.yaml with
// the team's people in the order of the export. source names the export
// in each file's leading comment. The same Result gives the same bytes.
func (r *Result) Files(source string) ([]File, error) {
	source = cleanText(source, 200)
	header := func(what string) string {
		return fmt.Sprintf("yaml-language-server: $schema=%s\nImported from %s by orgctl import csv: %s.\nEdit freely; run orgctl validate to see what is missing.", schema.SchemaURL, source, what)
	}
	members := map[string][]*schema.Person{}
	for _, p := range r.People {
		members[p.Team] = append(members[p.Team], p)
	}
	var files []File
	for _, t := range r.Teams {
		var buf bytes.Buffer
		w := schema.NewWriter(&buf)
		w.Email = true
		var n int
		for _, p := range members[t.Name] {
			if n == 0 {
				w.Comment(header(fmt.Sprintf("the people of team %s", t.Name)))
			}
			n++
			if err := w.Person(p); err != nil {
				return nil, fmt.Errorf("writing team %s: %w", t.Name, err)
			}
		}
		if err := w.Flush(); err != nil {
			return nil, fmt.Errorf("writing team %s: %w", t.Name, err)
		}
		if n > 0 {
			files = append(files, File{Path: "people/" + t.Name + ".yaml", Data: buf.Bytes()})
		}
	}
	var buf bytes.Buffer
	w := schema.NewWriter(&buf)
	names := make([]string, len(r.Teams))
	for i, t := range r.Teams {
		names[i] = t.Name
	}
	w.Comment(header("one Team per team.\nA team's manager is set only when more than half of its members, and at least\ntwo, report to the same person"))
	for _, t := range r.Teams {
		if err := w.Team(t); err != nil {
			return nil, fmt.Errorf("writing teams.yaml: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return nil, fmt.Errorf("writing teams.yaml: %w", err)
	}
	files = append(files, File{Path: "teams.yaml", Data: buf.Bytes()})
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}
