package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"unicode/utf8"

	"github.com/orgctl/orgctl/reconcile"
)

// PlanDocument is a plan as `orgctl plan -o json` writes it: the plan and
// what it compared. It is what travels, as an artifact, from the job that
// runs a pull request's code to the job that may comment, which rebuilds
// the comment from it with PlanMarkdown (see ReadPlanDocument).
type PlanDocument struct {
	reconcile.Plan
	// Base is what the plan compared with: a git ref or a directory.
	Base string `json:"base"`
	// HeadSHA is the full SHA of the commit the plan ran on (for a pull
	// request, its head commit); "" when orgctl could not tell.
	HeadSHA string `json:"headSha,omitempty"`
}

// NewPlanDocument is the document of plan p: files are named relative to
// the org root (Finding.Path), as everything orgctl publishes.
func NewPlanDocument(p reconcile.Plan, base, headSHA string) PlanDocument {
	rel := func(fs []reconcile.Finding) []reconcile.Finding {
		out := make([]reconcile.Finding, len(fs))
		for i, f := range fs {
			f.File, f.Rel = f.Path(), ""
			out[i] = reconcile.Redact(f)
		}
		return out
	}
	p.Findings = reconcile.PlanFindings{Introduced: rel(p.Findings.Introduced), Resolved: rel(p.Findings.Resolved), Unchanged: rel(p.Findings.Unchanged)}
	if p.Changes == nil {
		p.Changes = []reconcile.Change{}
	}
	if p.GitHub == nil {
		p.GitHub = []reconcile.GitHubAction{}
	}
	return PlanDocument{Plan: p, Base: base, HeadSHA: headSHA}
}

// Limits of what ReadPlanDocument accepts. A plan comment is at most
// MaxCommentSize characters, so no single string needs to be longer than
// MaxPlanString; MaxPlanFile is far more than the plan of a 100,000-person
// org needs.
const (
	MaxPlanFile   = 32 << 20
	MaxPlanString = 16 << 10
)

// ErrNotAPlan is wrapped by every error of ReadPlanDocument: the input is
// not a plan document orgctl wrote.
var ErrNotAPlan = errors.New("not an orgctl plan")

var (
	shaRE    = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)
	actionRE = regexp.MustCompile(`^[a-z][a-z-]{0,31}$`)
)

// ReadPlanDocument reads a plan written by `orgctl plan -o json` from a
// source that is not trusted (an artifact of a fork's pull request). It is
// strict: more than MaxPlanFile bytes, anything but one JSON object,
// unknown or missing fields, wrong types, values outside their set
// (actions, kinds, severities), negative numbers, strings over
// MaxPlanString bytes or not UTF-8, and a head SHA that is not a full
// commit SHA are all refused with an error that wraps ErrNotAPlan. What it
// accepts is data only: render it with PlanMarkdown, which escapes it.
func ReadPlanDocument(r io.Reader) (PlanDocument, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPlanFile+1))
	if err != nil {
		return PlanDocument{}, err
	}
	if len(data) > MaxPlanFile {
		return PlanDocument{}, fmt.Errorf("%w: larger than %d MiB", ErrNotAPlan, MaxPlanFile>>20)
	}
	if !utf8.Valid(data) {
		return PlanDocument{}, fmt.Errorf("%w: not UTF-8", ErrNotAPlan)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return PlanDocument{}, fmt.Errorf("%w: not a JSON object (%v)", ErrNotAPlan, err)
	}
	for _, k := range []string{"changes", "findings", "github", "summary", "base", "headSha"} {
		if _, ok := top[k]; !ok {
			return PlanDocument{}, fmt.Errorf("%w: no %q field", ErrNotAPlan, k)
		}
	}
	var doc PlanDocument
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return PlanDocument{}, fmt.Errorf("%w: %v", ErrNotAPlan, err)
	}
	if err := doc.check(); err != nil {
		return PlanDocument{}, fmt.Errorf("%w: %v", ErrNotAPlan, err)
	}
	return doc, nil
}

// check validates a decoded document and turns field values into the
// types the renderers expect (a list of strings is []string).
func (d *PlanDocument) check() error {
	v := &validator{}
	v.str("base", d.Base)
	if !shaRE.MatchString(d.HeadSHA) {
		v.fail("headSha is not a full commit SHA (40 or 64 lower-case hex digits)")
	}
	for i := range d.Changes {
		c := &d.Changes[i]
		at := fmt.Sprintf("changes[%d]", i)
		v.oneOf(at+".kind", c.Kind, "Person", "Team", "Policy")
		v.oneOf(at+".action", c.Action, reconcile.ActionAdd, reconcile.ActionChange, reconcile.ActionRemove)
		v.str(at+".name", c.Name)
		for j, e := range c.Effects {
			v.str(fmt.Sprintf("%s.effects[%d]", at, j), e)
		}
		for j := range c.Fields {
			f := &c.Fields[j]
			fat := fmt.Sprintf("%s.fields[%d]", at, j)
			v.str(fat+".field", f.Field)
			f.From = v.value(fat+".from", f.From)
			f.To = v.value(fat+".to", f.To)
		}
		c.Relations = reconcile.RelationsOf(*c)
	}
	for name, fs := range map[string][]reconcile.Finding{"introduced": d.Findings.Introduced, "resolved": d.Findings.Resolved, "unchanged": d.Findings.Unchanged} {
		for i, f := range fs {
			at := fmt.Sprintf("findings.%s[%d]", name, i)
			if f.Severity != reconcile.Error && f.Severity != reconcile.Warning {
				v.fail(at + ".severity is not error or warning")
			}
			for _, s := range [][2]string{{"rule", string(f.Rule)}, {"subject", f.Subject}, {"other", f.Other}, {"fingerprint", f.Fingerprint}, {"message", f.Message}, {"file", f.File}} {
				v.str(at+"."+s[0], s[1])
			}
			v.nonNegative(at+".line", f.Line)
			v.nonNegative(at+".column", f.Column)
		}
	}
	for i, a := range d.GitHub {
		at := fmt.Sprintf("github[%d]", i)
		if !actionRE.MatchString(a.Action) {
			v.fail(at + ".action is not an action name")
		}
		v.oneOf(at+".type", a.Type, "issue", "pull")
		v.str(at+".fingerprint", a.Fingerprint)
		v.str(at+".title", a.Title)
		v.nonNegative(at+".number", a.Number)
	}
	s := d.Summary
	for _, n := range []int{s.Add, s.Change, s.Remove, s.Errors, s.Warnings} {
		v.nonNegative("summary", n)
	}
	return v.err
}

// validator keeps the first problem found.
type validator struct{ err error }

func (v *validator) fail(msg string) {
	if v.err == nil {
		v.err = errors.New(msg)
	}
}

func (v *validator) str(at, s string) {
	if len(s) > MaxPlanString {
		v.fail(fmt.Sprintf("%s is longer than %d KiB", at, MaxPlanString>>10))
	}
}

func (v *validator) nonNegative(at string, n int) {
	if n < 0 {
		v.fail(at + " is negative")
	}
}

func (v *validator) oneOf(at, s string, choices ...string) {
	for _, c := range choices {
		if s == c {
			return
		}
	}
	v.fail(fmt.Sprintf("%s is not one of %s", at, oneOf(choices)))
}

// value checks a field's value (null, a string, or a list of strings) and
// returns it typed as reconcile.Diff makes it.
func (v *validator) value(at string, x any) any {
	switch x := x.(type) {
	case nil:
		return nil
	case string:
		v.str(at, x)
		return x
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				v.fail(fmt.Sprintf("%s[%d] is not a string", at, i))
				return nil
			}
			v.str(at, s)
			out[i] = s
		}
		return out
	}
	v.fail(at + " is not null, a string or a list of strings")
	return nil
}

// ReadPlanFile reads the plan document at path (what orgctl comment
// posts), strictly: only a regular file no larger than MaxPlanFile, read
// with ReadPlanDocument.
func ReadPlanFile(path string) (PlanDocument, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return PlanDocument{}, fmt.Errorf("reading the plan: %w", err)
	}
	if !st.Mode().IsRegular() {
		return PlanDocument{}, fmt.Errorf("%s is not a regular file: pass the plan written by orgctl plan -o json", path)
	}
	if st.Size() > MaxPlanFile {
		return PlanDocument{}, fmt.Errorf("%s is not an orgctl plan: larger than %d MiB; write it with orgctl plan -o json", path, MaxPlanFile>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return PlanDocument{}, fmt.Errorf("reading the plan: %w", err)
	}
	defer f.Close()
	doc, err := ReadPlanDocument(f)
	if err != nil {
		return PlanDocument{}, fmt.Errorf("%s: %w; orgctl comment posts only a plan written by orgctl plan -o json (never Markdown)", path, err)
	}
	return doc, nil
}
