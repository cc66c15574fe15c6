package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"text/tabwriter"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// GetFormats are the -o values of `orgctl get`, the default first; a
// value starting with CustomColumnsPrefix is accepted too.
var GetFormats = []string{"table", "wide", "yaml", "json", "name"}

// CustomColumnsPrefix starts -o custom-columns=NAME:.path,...
const CustomColumnsPrefix = "custom-columns="

// TableOptions say how tables are written.
type TableOptions struct {
	// TTY: an aligned table with a header and <none> in empty cells;
	// otherwise tab-separated values without a header.
	TTY bool
	// NoHeaders leaves the header out on a terminal too.
	NoHeaders bool
}

// WriteViews writes the named people or teams (kind schema.KindPerson or
// schema.KindTeam) of ov in a get format: table, wide, yaml, json, name or
// custom-columns=SPEC.
func WriteViews(w io.Writer, format string, ov *reconcile.OrgView, kind string, names []string, to TableOptions) error {
	o := ov.Org
	view := func(i int) any {
		if kind == schema.KindPerson {
			return ov.Person(names[i])
		}
		return ov.Team(names[i])
	}
	switch {
	case format == "yaml":
		yw := schema.NewWriter(w)
		for _, n := range names {
			if kind == schema.KindPerson {
				yw.Person(o.Person(n))
			} else {
				yw.Team(o.Team(n))
			}
		}
		return yw.Flush()
	case format == "json":
		// Chunks of items encoded on every CPU and written in order as
		// they are ready: a list of 100,000 people is never held whole.
		key := strings.ToLower(reconcile.ResourcePlural(kind))
		if kind == schema.KindPerson {
			SetJSONChains(ov)
			ids := ov.PersonIndexes(names)
			return writeJSONItems(w, key, len(names), jsonWorkers(), func() func(b []byte, i int) []byte {
				// Each goroutine views its chunk's people viewAhead at a
				// time, into views reused run after run, with what they
				// read fetched ahead (see OrgView.ViewChunk), then
				// encodes them.
				var (
					views  [viewAhead]reconcile.PersonView
					lo, hi = -1, -1
					e      = personJSON{ov: ov}
				)
				return func(b []byte, i int) []byte {
					if i < lo || i >= hi {
						lo, hi = i, min(i-i%viewAhead+viewAhead, len(names))
						prefetched.Add(int64(ov.ViewChunk(views[:hi-lo], ids[lo:hi])))
					}
					return e.append(b, &views[i-lo])
				}
			})
		}
		return writeJSONItems(w, key, len(names), jsonWorkers(), func() func(b []byte, i int) []byte {
			return func(b []byte, i int) []byte {
				v := ov.Team(names[i])
				return appendTeamJSON(b, &v)
			}
		})
	case format == "name":
		var b bytes.Buffer
		for _, n := range names {
			fmt.Fprintf(&b, "%s/%s\n", strings.ToLower(kind), printable(n))
		}
		_, err := w.Write(b.Bytes())
		return err
	case strings.HasPrefix(format, CustomColumnsPrefix):
		cols, err := ParseCustomColumns(strings.TrimPrefix(format, CustomColumnsPrefix), kind)
		if err != nil {
			return err
		}
		header := make([]string, len(cols))
		for i, c := range cols {
			header[i] = c.Header
		}
		rows := make([][]string, len(names))
		for i := range names {
			v := view(i)
			for _, c := range cols {
				val, _ := reconcile.FieldValue(v, c.Path)
				rows[i] = append(rows[i], val)
			}
		}
		return WriteTable(w, to, header, rows)
	}
	header, rows := viewRows(kind, format == "wide", len(names), view)
	return WriteTable(w, to, header, rows)
}

// viewAhead is how many people a goroutine writing `get people -o json`
// views at once, with what they read fetched ahead (see
// reconcile.OrgView.ViewChunk): a few dozen reads in flight keep the
// memory system busy, and the views stay in the cache until they are
// encoded. A chunk (chunkItems) holds one run or more.
const viewAhead = 64

// prefetched keeps the reads of OrgView.ViewChunk from being optimized
// away.
var prefetched atomic.Int64

// viewRows are the columns of get's table and wide formats.
func viewRows(kind string, wide bool, n int, view func(int) any) (header []string, rows [][]string) {
	if kind == schema.KindPerson {
		header = []string{"NAME", "TEAM", "LEVEL", "MANAGER", "COACH", "STATUS"}
		if wide {
			header = append(header, "GITHUB", "MENTORS", "FINDINGS")
		}
		for i := range n {
			v := view(i).(reconcile.PersonView)
			row := []string{v.Name, v.Team, v.Level, v.Manager, v.Coach, v.Status}
			if wide {
				row = append(row, v.GitHub, strings.Join(v.MentorStrings(), ", "), fmt.Sprint(len(v.Findings)))
			}
			rows = append(rows, row)
		}
		return header, rows
	}
	header = []string{"NAME", "PARENT", "MANAGER", "MEMBERS"}
	if wide {
		header = append(header, "DISPLAY NAME", "SUB-TEAMS", "FINDINGS")
	}
	for i := range n {
		v := view(i).(reconcile.TeamView)
		row := []string{v.Name, v.Parent, v.Manager, fmt.Sprint(v.ActiveMembers)}
		if wide {
			row = append(row, v.DisplayName, strings.Join(v.SubTeams, ", "), fmt.Sprint(len(v.Findings)))
		}
		rows = append(rows, row)
	}
	return header, rows
}

// Column is one column of -o custom-columns: its header and the field
// path it shows (see reconcile.Fields).
type Column struct {
	Header, Path string
}

// ParseCustomColumns reads kubectl's custom-columns syntax,
// HEADER:.field.path,... (the leading dot may be left out), for kind; a
// malformed spec or an unknown path is an error that says what to write.
func ParseCustomColumns(spec, kind string) ([]Column, error) {
	fields := strings.Join(reconcile.Fields(kind), ", .")
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("custom-columns needs at least one column: write -o custom-columns=NAME:.metadata.name,LEVEL:.spec.level")
	}
	var cols []Column
	for _, part := range strings.Split(spec, ",") {
		header, path, ok := strings.Cut(part, ":")
		header, path = strings.TrimSpace(header), strings.TrimSpace(path)
		if !ok || header == "" || path == "" {
			return nil, fmt.Errorf("invalid custom-columns %q: %q is not HEADER:.field.path (write e.g. NAME:.metadata.name,LEVEL:.spec.level)", spec, part)
		}
		path = strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(path, "{"), "}"), ".")
		var zero any = reconcile.PersonView{}
		if kind == schema.KindTeam {
			zero = reconcile.TeamView{}
		}
		if _, known := reconcile.FieldValue(zero, path); !known {
			return nil, fmt.Errorf("invalid custom-columns %q: %s has no field .%s; use .%s, or .metadata.labels.KEY", spec, strings.ToLower(kind), path, fields)
		}
		cols = append(cols, Column{Header: header, Path: path})
	}
	return cols, nil
}

// WriteTable writes rows as gh does: on a terminal an aligned table with a
// header (unless NoHeaders) and <none> in empty cells; elsewhere
// tab-separated values without a header, empty cells left empty, for cut,
// awk and sort.
func WriteTable(w io.Writer, to TableOptions, header []string, rows [][]string) error {
	if !to.TTY {
		var b bytes.Buffer
		for _, r := range rows {
			for i, c := range r {
				if i > 0 {
					b.WriteByte('\t')
				}
				b.WriteString(printable(c))
			}
			b.WriteByte('\n')
		}
		_, err := w.Write(b.Bytes())
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 3, ' ', 0)
	if !to.NoHeaders {
		fmt.Fprintln(tw, strings.Join(header, "\t"))
	}
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = printable(c)
			if cells[i] == "" {
				cells[i] = "<none>"
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// printable keeps user text on one line and out of the terminal's control:
// tabs and line breaks become spaces, other control and bidirectional
// formatting characters are shown as Go escapes.
func printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unprintable(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unprintable(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unprintable(r rune) bool {
	return r < 0x20 || r >= 0x7f && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}
