package importcsv

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/orgctl/orgctl/schema"
	"github.com/orgctl/orgctl/schema/yamledit"
)

// Change is one thing a sync does to the org, for the user to review.
type Change struct {
	// Kind is "person" or "team"; Name is the name in the org.
	Kind, Name string
	// Action is "add", "change" or "depart".
	Action string
	// File is where it happens, relative to the org root.
	File string
	// Detail says what changes ("manager: ann → bob"), for "change".
	Detail string
}

// SyncPlan is the outcome of Sync: the files to write (whole contents,
// relative to the org root), what changes, and what the sync would not do
// by itself.
type SyncPlan struct {
	Files   []File
	Changes []Change
	// Notes are changes left to a person (a manager cell that became empty
	// cannot be removed in place without deciding what the person's
	// manager is), "NAME: sentence".
	Notes []string
}

// Sync updates an org that an earlier import wrote (org, loaded from the
// directory the files are in) to this result, in place: people are
// matched by their employee-id label, else by name. A person in both gets
// the export's display name, email, GitHub login, team, level and manager,
// each changed on its own line; a joiner is appended to the file of their
// team (or a new one); a person in the org but not in the export is set to
// status: departed and kept, for history; a joiner's coach and mentors
// are dated from Result.Today (coachSince, since). Everything else in the files
// (coaches, mentors, exemptions, comments, order, quoting) is kept byte for
// byte. External people are never matched nor departed. New teams are
// appended to teams.yaml; existing teams are left as they are. read
// returns a file's current contents, by its Source.File.
func (r *Result) Sync(org *schema.Set, source string, read func(file string) ([]byte, error)) (*SyncPlan, error) {
	plan := &SyncPlan{}
	type doc struct {
		p   *schema.Person
		src schema.Source
	}
	existing := map[string]doc{} // match key (see matchKey) → person
	names := map[string]bool{}   // every name in the org, any kind of document
	teams := map[string]bool{}
	orgTeams := map[string]*schema.Team{}
	var people []doc
	teamsFile := ""
	for _, d := range org.Documents {
		names[d.Name] = true
		switch {
		case !d.Valid():
		case d.Person != nil && !d.Person.External:
			dd := doc{d.Person, d.Source}
			people = append(people, dd)
			existing[matchKey(d.Person.Name, d.Person.Labels)] = dd
			if d.Person.Labels[IDLabel] == "" {
				existing["name:"+d.Person.Name] = dd
			}
		case d.Team != nil:
			teams[d.Name] = true
			orgTeams[d.Name] = d.Team
			if teamsFile == "" || d.Source.Rel == "teams.yaml" {
				teamsFile = d.Source.Rel
			}
		}
	}
	find := func(p *schema.Person) (doc, bool) {
		if e, ok := existing[matchKey(p.Name, p.Labels)]; ok {
			return e, true
		}
		e, ok := existing["name:"+p.Name] // written by hand, or before ids were kept
		return e, ok
	}
	// The names of the export mapped to the org's: a matched person keeps
	// the name the org knows them by; a joiner whose name the org already
	// uses for someone else gets a suffix.
	rename := map[string]string{}
	matched := map[string]bool{}
	for _, p := range r.People {
		if e, ok := find(p); ok && !matched[e.p.Name] {
			rename[p.Name] = e.p.Name
			matched[e.p.Name] = true
		}
	}
	for _, p := range r.People {
		if _, ok := rename[p.Name]; ok {
			continue
		}
		n := p.Name
		for k := 2; names[n]; k++ {
			n = withSuffix(p.Name, k)
		}
		names[n] = true
		rename[p.Name] = n
	}
	to := func(name string) string {
		if n, ok := rename[name]; ok {
			return n
		}
		return name
	}

	contents := map[string][]byte{} // by Rel
	order := []string{}
	load := func(src schema.Source) ([]byte, error) {
		if data, ok := contents[src.Rel]; ok {
			return data, nil
		}
		data, err := read(src.File)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", src.File, err)
		}
		contents[src.Rel] = data
		order = append(order, src.Rel)
		return data, nil
	}
	set := func(src schema.Source, name string, field, value string) error {
		data, err := load(src)
		if err != nil {
			return err
		}
		edited, err := yamledit.SetField(data, src.Doc, []string{"spec", field}, value)
		if err != nil {
			return fmt.Errorf("updating %s of %s in %s: %w", field, name, src.File, err)
		}
		contents[src.Rel] = edited
		return nil
	}

	// Matched people: the HR fields, one line each.
	for _, p := range r.People {
		e, ok := find(p)
		if !ok || rename[p.Name] != e.p.Name {
			continue
		}
		old := e.p
		var details []string
		for _, f := range []struct{ field, from, to string }{
			{"displayName", old.DisplayName, p.DisplayName},
			{"email", old.Email, p.Email},
			{"github", old.GitHub, p.GitHub},
			{"team", old.Team, p.Team},
			{"level", old.Level, p.Level},
			{"manager", old.Manager, to(p.Manager)},
			{"status", string(old.Status), string(schema.StatusActive)},
		} {
			if f.from == f.to || f.to == "" {
				if f.to == "" && f.from != "" && (f.field == "manager" || f.field == "team" || f.field == "level") {
					plan.Notes = append(plan.Notes, fmt.Sprintf("%s: the export has no %s for them any more (was %s): edit spec.%s by hand", old.Name, f.field, f.from, f.field))
				}
				continue
			}
			if f.field == "status" && old.Status == schema.StatusLeave {
				continue // on leave is a person's call, not the export's
			}
			if err := set(e.src, old.Name, f.field, f.to); err != nil {
				return nil, err
			}
			shown := func(v string) string {
				if f.field == "email" {
					return "(private)"
				}
				return cmpOr(v, "none")
			}
			details = append(details, fmt.Sprintf("%s: %s → %s", f.field, shown(f.from), shown(f.to)))
		}
		if len(details) > 0 {
			plan.Changes = append(plan.Changes, Change{Kind: "person", Name: old.Name, Action: "change", File: e.src.Rel, Detail: strings.Join(details, ", ")})
		}
	}
	// Leavers: kept, for history, as departed.
	for _, e := range people {
		if matched[e.p.Name] || e.p.Status == schema.StatusDeparted {
			continue
		}
		if err := set(e.src, e.p.Name, "status", schema.StatusDeparted); err != nil {
			return nil, err
		}
		plan.Changes = append(plan.Changes, Change{Kind: "person", Name: e.p.Name, Action: "depart", File: e.src.Rel})
	}
	// Joiners, appended to their team's file; new teams to teams.yaml.
	appendDoc := func(rel string, write func(w *schema.Writer) error) error {
		data, ok := contents[rel]
		if !ok {
			if src, found := fileOf(org, rel); found {
				var err error
				if data, err = load(src); err != nil {
					return err
				}
			} else {
				order = append(order, rel)
			}
		}
		var buf bytes.Buffer
		buf.Write(data)
		if len(data) > 0 {
			if !bytes.HasSuffix(data, []byte("\n")) {
				buf.WriteByte('\n')
			}
			buf.WriteString("---\n")
		}
		w := schema.NewWriter(&buf)
		w.Email = true
		if len(data) == 0 {
			w.Comment(fmt.Sprintf("yaml-language-server: $schema=%s\nImported from %s by orgctl import csv.", schema.SchemaURL, cleanText(source, 200)))
		}
		if err := write(w); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		contents[rel] = buf.Bytes()
		return nil
	}
	for _, t := range r.Teams {
		if teams[t.Name] {
			continue
		}
		rel := cmpOr(teamsFile, "teams.yaml")
		nt := *t
		nt.Manager = to(t.Manager)
		if err := appendDoc(rel, func(w *schema.Writer) error { return w.Team(&nt) }); err != nil {
			return nil, err
		}
		plan.Changes = append(plan.Changes, Change{Kind: "team", Name: t.Name, Action: "add", File: rel})
	}
	// A joiner's pairings start the day they join the org files.
	day := r.Today
	if day.IsZero() {
		day = time.Now()
	}
	since := day.Format(time.DateOnly)
	for _, p := range r.People {
		if e, ok := find(p); ok && rename[p.Name] == e.p.Name {
			continue
		}
		np := *p
		np.Name, np.Manager = to(p.Name), to(p.Manager)
		np.Coach = to(p.Coach)
		np.Mentors = slices.Clone(p.Mentors)
		for i := range np.Mentors {
			np.Mentors[i].Person = to(np.Mentors[i].Person)
			if np.Mentors[i].Since == "" {
				np.Mentors[i].Since = since
			}
		}
		if np.Coach != "" && np.Lifecycle().CoachSince == "" {
			// A Lifecycle of np's own: p's (shared by the copy) stays as read.
			life := np.Lifecycle()
			life.CoachSince = since
			np.Life = &life
		}
		rel := "people/" + np.Team + ".yaml"
		if err := appendDoc(rel, func(w *schema.Writer) error { return w.Person(&np) }); err != nil {
			return nil, err
		}
		plan.Changes = append(plan.Changes, Change{Kind: "person", Name: np.Name, Action: "add", File: rel})
	}
	// A team the org already has keeps its manager; say so when someone the
	// export gives no manager would inherit it (a sync never removes a line
	// a person may have written, nor invents a manager silently).
	for _, p := range r.People {
		if p.Manager != "" {
			continue
		}
		seen := map[string]bool{}
		for t := orgTeams[p.Team]; t != nil && !seen[t.Name]; t = orgTeams[t.Parent] {
			seen[t.Name] = true
			if t.Manager != "" && t.Manager != to(p.Name) {
				plan.Notes = append(plan.Notes, fmt.Sprintf("%s: the export gives them no manager, but team %s makes %s their manager: remove that team's manager, or set %s's manager by hand", to(p.Name), t.Name, t.Manager, to(p.Name)))
				break
			}
		}
	}
	for _, rel := range order {
		plan.Files = append(plan.Files, File{Path: rel, Data: contents[rel]})
	}
	slices.SortFunc(plan.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return plan, nil
}

// matchKey is how a person is recognised across exports: the employee id
// when the import recorded one, else the name.
func matchKey(name string, labels map[string]string) string {
	if id := labels[IDLabel]; id != "" {
		return "id:" + strings.ToLower(id)
	}
	return "name:" + name
}

// fileOf finds the source of a file of the org by its path relative to the
// org root.
func fileOf(org *schema.Set, rel string) (schema.Source, bool) {
	for _, d := range org.Documents {
		if d.Source.Rel == rel {
			return d.Source, true
		}
	}
	return schema.Source{}, false
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
