package match

// The --write path: the suggestions written into the org's YAML, in place,
// changing only the lines they must.

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
	"github.com/orgctl/orgctl/schema/safewrite"
	"github.com/orgctl/orgctl/schema/yamledit"
)

// Written is one file Write replaced and how many suggestions went into it.
type Written struct {
	File  string
	Edits int
	// Role is the role of the suggestions (all of a run have one role).
	Role string
}

// WriteError is the error of Write when the files could not be replaced
// (see package safewrite for the kinds: a file that exists, an unsafe
// path, a partial write). Every other error of Write means nothing was
// written because an edit could not be made or would add an error.
type WriteError struct{ Err error }

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// Write writes sugs into the YAML files of set, in place: every edit is
// computed and the edited org checked in memory (with opts) before any
// file is written, nothing is written if the edits would add a parse,
// schema or error finding that before does not have, and the files are
// replaced atomically, all or none. Each file is parsed once and gets all
// its edits together. It returns the files written, sorted.
func Write(set *schema.Set, before reconcile.Result, o *reconcile.Org, sugs []Suggestion, opts reconcile.Options) ([]Written, error) {
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("nothing written: "+format, args...)
	}
	// Group the edits by file, then edit each file once: parsing it once
	// and applying its edits together keeps this linear in the edits.
	byFile := map[string][]SuggestionEdit{}
	targets := map[string]safewrite.File{} // by file: its org root and the path below it
	for _, s := range sugs {
		p := o.Person(s.Person)
		if p == nil {
			return nil, refuse("%s is not in the org any more", s.Person)
		}
		if _, ok := byFile[p.Source.File]; !ok {
			targets[p.Source.File] = writeTarget(*p.Source)
		}
		byFile[p.Source.File] = append(byFile[p.Source.File], SuggestionEdit{Doc: p.Source.Doc, Suggestion: s})
	}
	files := slices.Sorted(maps.Keys(byFile))
	contents := make(map[string][]byte, len(files))
	var read int64
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, refuse("reading %s: %w", file, err)
		}
		contents[file] = data
		read += int64(len(data))
	}
	// The files are read a second time, edited and decoded again while
	// the loaded org is still alive: budget the heap for them as for a
	// second read. On the loaded org's budget alone the collector ran
	// back to back and the runtime returned memory to the system page by
	// page (a 20,000-person file: 15 CPU s instead of 4; TestWriteChecksBeforeWriting).
	schema.BudgetMemory(SuggestPerByte)(len(files), read)
	for _, file := range files {
		edited, err := EditForSuggestions(contents[file], byFile[file])
		if err != nil {
			var se *SuggestionEditError
			if errors.As(err, &se) {
				return nil, refuse("editing %s in %s: %w", se.Person, file, se.Err)
			}
			return nil, refuse("editing %s: %w", file, err)
		}
		contents[file] = edited
	}
	// Validate the edited org in memory: no new parse or schema problem and
	// no new error finding, or nothing is written.
	after := reconcile.Check(set.WithFiles(contents), opts)
	old := map[string]bool{}
	for _, f := range before.Findings {
		old[f.Fingerprint] = true
	}
	var introduced []string
	for _, f := range after.Findings {
		if !f.Exempt && f.Severity == reconcile.Error && !old[f.Fingerprint] {
			introduced = append(introduced, fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Rule, f.Message))
		}
	}
	if len(introduced) > 0 {
		return nil, refuse("the edits would introduce errors:\n  %s", strings.Join(introduced, "\n  "))
	}
	write := make([]safewrite.File, len(files))
	for i, file := range files {
		write[i] = targets[file]
		write[i].Data = contents[file]
	}
	if _, err := safewrite.Write(write, safewrite.Replace); err != nil {
		return nil, &WriteError{Err: err}
	}
	out := make([]Written, len(files))
	for i, file := range files {
		out[i] = Written{File: file, Edits: len(byFile[file]), Role: byFile[file][0].Suggestion.Role}
	}
	return out, nil
}

// writeTarget is where a loaded file is written back: below the org root
// it was loaded from (the path given on the command line), which it may
// not leave, and through no symlink below that root.
func writeTarget(src schema.Source) safewrite.File {
	file := filepath.FromSlash(src.File)
	rel := filepath.FromSlash(src.Rel)
	if rel != "" && (file == rel || strings.HasSuffix(file, string(filepath.Separator)+rel)) {
		return safewrite.File{Dir: cmp.Or(strings.TrimSuffix(file, rel), "."), Path: src.Rel}
	}
	return safewrite.File{Dir: filepath.Dir(file), Path: filepath.Base(file)}
}

// EditForSuggestion returns data, the text of the file holding the person
// of s, with s written into document doc: the coach field set (or added),
// a mentor entry replaced or appended, and, when s has a Since date, the
// pairing's start date set and the pairing it replaces moved to
// spec.pastPairings. It changes only the lines it must (see
// yamledit.SetField and yamledit.AppendToList). It refuses a document that
// is not the person's, so that an edit computed from one version of a file
// is never applied to the wrong person in another.
func EditForSuggestion(data []byte, doc int, s Suggestion) ([]byte, error) {
	out, err := EditForSuggestions(data, []SuggestionEdit{{Doc: doc, Suggestion: s}})
	var se *SuggestionEditError
	if errors.As(err, &se) {
		return nil, se.Err
	}
	return out, err
}

// SuggestionEdit is one suggestion to write into document Doc of a file.
type SuggestionEdit struct {
	Doc        int
	Suggestion Suggestion
}

// SuggestionEditError is the error of EditForSuggestions when the
// suggestion for Person cannot be written; Err says why.
type SuggestionEditError struct {
	Person string
	Err    error
}

func (e *SuggestionEditError) Error() string { return e.Person + ": " + e.Err.Error() }
func (e *SuggestionEditError) Unwrap() error { return e.Err }

// EditForSuggestions writes every suggestion of edits into data, the text
// of one file, as EditForSuggestion writes one, but parsing and checking
// the file once: its cost is linear in the file and the number of edits,
// so `suggest --write` stays fast on a file of 20,000 people. (A document
// that gets several suggestions, a mentor in each of two domains, takes
// one more pass per suggestion after the first: two appends to one list
// are two passes.) Nothing is changed unless every edit can be made.
func EditForSuggestions(data []byte, edits []SuggestionEdit) ([]byte, error) {
	// Rounds: the k-th suggestion of each document goes in round k.
	var rounds [][]SuggestionEdit
	seen := map[int]int{}
	for _, e := range edits {
		k := seen[e.Doc]
		seen[e.Doc]++
		if k == len(rounds) {
			rounds = append(rounds, nil)
		}
		rounds[k] = append(rounds[k], e)
	}
	out := data
	for _, round := range rounds {
		var err error
		if out, err = editRound(out, round); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// editRound makes edits, at most one per document, in one pass.
func editRound(data []byte, edits []SuggestionEdit) ([]byte, error) {
	list := make([]yamledit.Edit, 0, 2*len(edits))
	owner := make([]int, 0, 2*len(edits)) // index in edits of each of list
	for i, e := range edits {
		s := e.Suggestion
		// The document must be the person's: an edit computed from one
		// version of a file is never applied to someone else in another.
		list = append(list, yamledit.Edit{Doc: e.Doc, Path: []string{"metadata", "name"}, Value: s.Person, Keep: true})
		list = append(list, pairingEdits(e.Doc, s)...)
		for len(owner) < len(list) {
			owner = append(owner, i)
		}
	}
	out, err := yamledit.EditFile(data, list)
	var ee *yamledit.EditError
	if !errors.As(err, &ee) {
		return out, err
	}
	e := edits[owner[ee.Edit]]
	switch {
	case !list[ee.Edit].Keep:
		err = ee.Err
	case errors.Is(ee.Err, yamledit.ErrNotAsExpected):
		err = fmt.Errorf("document %d of the file is not %s's: the file changed since it was read; run again", e.Doc+1, e.Suggestion.Person)
	default:
		err = fmt.Errorf("finding %s in the file: %w", e.Suggestion.Person, ee.Err)
	}
	return nil, &SuggestionEditError{Person: e.Suggestion.Person, Err: err}
}

// pairingEdits are the edits that write s into document doc.
func pairingEdits(doc int, s Suggestion) []yamledit.Edit {
	var list []yamledit.Edit
	set := func(value string, path ...string) {
		list = append(list, yamledit.Edit{Doc: doc, Path: path, Value: value})
	}
	switch {
	case s.Role == RoleCoach:
		set(s.Candidate, "spec", "coach")
		if s.Since != "" {
			set(s.Since, "spec", "coachSince")
		}
	case s.Entry >= 0:
		entry := fmt.Sprint(s.Entry)
		set(s.Candidate, "spec", "mentors", entry, "person")
		if s.Since != "" {
			set(s.Since, "spec", "mentors", entry, "since")
		}
	default:
		item := []yamledit.Field{{Key: "person", Value: s.Candidate}, {Key: "domain", Value: s.Domain}}
		if s.Since != "" {
			item = append(item, yamledit.Field{Key: "since", Value: s.Since})
		}
		list = append(list, yamledit.Edit{Doc: doc, Path: []string{"spec", "mentors"}, Item: item})
	}
	// The pairing replaced ends today and is kept in the person's history
	// (a self-reference was never a pairing).
	if s.Since != "" && s.Replaces != "" && s.Replaces != s.Person {
		past := []yamledit.Field{{Key: "role", Value: s.Role}, {Key: "person", Value: s.Replaces}}
		if s.Role == RoleMentor {
			past = append(past, yamledit.Field{Key: "domain", Value: s.Domain})
		}
		if s.ReplacedSince != "" {
			past = append(past, yamledit.Field{Key: "from", Value: s.ReplacedSince})
		}
		past = append(past, yamledit.Field{Key: "until", Value: s.Since})
		list = append(list, yamledit.Edit{Doc: doc, Path: []string{"spec", "pastPairings"}, Item: past})
	}
	return list
}
