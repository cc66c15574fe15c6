package reconcile

import (
	"fmt"

	"github.com/orgctl/orgctl/schema"
)

// ParseResource reads the resource argument of get and describe as
// ResourceKind does, refusing anything else with a close suggestion.
func ParseResource(arg string) (string, error) {
	if kind := ResourceKind(arg); kind != "" {
		return kind, nil
	}
	hint := ""
	if s := schema.Suggest(arg, []string{"people", "person", "teams", "team"}); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return "", fmt.Errorf("unknown resource type %q%s: use people or teams", arg, hint)
}

// NotFound is the error for a name of kind that is not in the org (a
// usage error, exit 2, in every command that takes names): it suggests a
// close name, says when the document exists but could not be read, and
// otherwise names the command that lists them.
func NotFound(set *schema.Set, o *Org, kind, name string) error {
	word, list := "person", "orgctl get people"
	if kind == schema.KindTeam {
		word, list = "team", "orgctl get teams"
	}
	for _, d := range set.Documents {
		if d.Kind == kind && d.Name == name && !d.Valid() {
			return fmt.Errorf("%s %q could not be read (%s:%d breaks the schema or is not valid YAML): run 'orgctl validate' to see why", word, name, d.Source.File, d.NamePos.Line)
		}
	}
	if s := schema.Suggest(name, o.Names(kind)); s != "" {
		return fmt.Errorf("%s %q not found; did you mean %q?", word, name, s)
	}
	return fmt.Errorf("%s %q not found: run '%s' to list them", word, name, list)
}

// Select is the names of kind (in Org.Names order) whose views match the label
// selector sel and the field selector fsel (get without names). A view is
// built only when a field selector needs one: labels are the document's
// own, and a get of 100,000 people builds each view once, to print it.
func (ov *OrgView) Select(kind string, sel LabelSelector, fsel FieldSelector) []string {
	all := ov.names(kind)
	if len(sel) == 0 && len(fsel) == 0 {
		return all
	}
	var names []string
	for _, n := range all {
		var labels map[string]string
		if kind == schema.KindTeam {
			labels = ov.Org.Team(n).Labels
		} else {
			labels = ov.Org.Person(n).Labels
		}
		if !sel.Matches(labels) {
			continue
		}
		if len(fsel) > 0 {
			var view any
			if kind == schema.KindTeam {
				view = ov.Team(n)
			} else {
				view = ov.Person(n)
			}
			if !fsel.Matches(view) {
				continue
			}
		}
		names = append(names, n)
	}
	return names
}

// Pick splits names into those of kind the org has, in the order given,
// and a NotFound error for each of the others (get and describe show what
// they can, then fail with exit 2).
func Pick(set *schema.Set, o *Org, kind string, names []string) (found []string, missing []error) {
	for _, n := range names {
		if o.Has(kind, n) {
			found = append(found, n)
			continue
		}
		missing = append(missing, NotFound(set, o, kind, n))
	}
	return found, missing
}
