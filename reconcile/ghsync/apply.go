package ghsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	gh "github.com/google/go-github/v60/github"
	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/ghsync/marker"
	"github.com/orgctl/orgctl/reconcile/render"
)

// Kinds of Action.
const (
	Create    = "create"
	Update    = "update"
	Close     = "close"
	Reopen    = "reopen"
	Duplicate = "close-duplicate"
)

// Want is the desired state of one issue, ready to compare: the body is
// final (notes included).
type Want struct {
	Fingerprint string
	Title       string
	Body        string
	Labels      []string
	Assignee    string

	desired reconcile.DesiredIssue
	refused string // an assignee GitHub refused
}

// Action is one change to make on GitHub.
type Action struct {
	Kind        string   `json:"action"`
	Type        string   `json:"type"`
	Fingerprint string   `json:"fingerprint"`
	Number      int      `json:"number,omitempty"`
	Title       string   `json:"title"`
	Changes     []string `json:"changes,omitempty"` // fields an update changes
	KeepNumber  int      `json:"duplicateOf,omitempty"`
	// Branch is a proposal's branch.
	Branch string `json:"branch,omitempty"`
	// Warnings are what went wrong without failing the action (a reviewer
	// GitHub refused).
	Warnings []string `json:"warnings,omitempty"`
	Error    string   `json:"error,omitempty"`

	want     *Want
	proposal *proposalWant
	observe  Object
}

// Diff compares the desired issues with the observed objects and returns
// the actions that make GitHub match, in a stable order: level-based, so
// running it on its own result yields nothing.
func Diff(wants []Want, observed []Object) []Action {
	observed = slices.Clone(observed)
	sort.SliceStable(observed, func(i, j int) bool { return observed[i].Number < observed[j].Number })
	byFP := map[string][]Object{}
	for _, o := range observed {
		if o.IsPull || o.Fingerprint == "" {
			continue
		}
		byFP[o.Fingerprint] = append(byFP[o.Fingerprint], o)
	}
	var out []Action
	desired := map[string]bool{}
	for i := range wants {
		w := &wants[i]
		desired[w.Fingerprint] = true
		var open, closed []Object
		for _, o := range byFP[w.Fingerprint] {
			if o.State == "open" {
				open = append(open, o)
			} else {
				closed = append(closed, o)
			}
		}
		switch {
		case len(open) > 0:
			keep := open[0] // the oldest: issue numbers only grow
			if ch := differences(*w, keep); len(ch) > 0 {
				out = append(out, Action{Kind: Update, Type: "issue", Fingerprint: w.Fingerprint, Number: keep.Number, Title: w.Title, Changes: ch, want: w, observe: keep})
			}
			for _, d := range open[1:] {
				out = append(out, Action{Kind: Duplicate, Type: "issue", Fingerprint: w.Fingerprint, Number: d.Number, Title: d.Title, KeepNumber: keep.Number, observe: d})
			}
		case len(closed) > 0:
			last := closed[len(closed)-1]
			out = append(out, Action{Kind: Reopen, Type: "issue", Fingerprint: w.Fingerprint, Number: last.Number, Title: w.Title, Changes: differences(*w, last), want: w, observe: last})
		default:
			out = append(out, Action{Kind: Create, Type: "issue", Fingerprint: w.Fingerprint, Title: w.Title, want: w})
		}
	}
	for _, o := range observed {
		if o.IsPull || o.Fingerprint == "" || o.State != "open" || desired[o.Fingerprint] {
			continue
		}
		out = append(out, Action{Kind: Close, Type: "issue", Fingerprint: o.Fingerprint, Number: o.Number, Title: o.Title, observe: o})
	}
	sortActions(out)
	return out
}

// differences lists what an observed issue lacks. Labels and assignees a
// person added are left alone: orgctl only adds its own.
func differences(w Want, o Object) []string {
	var ch []string
	if o.Title != w.Title {
		ch = append(ch, "title")
	}
	if normalize(o.Body) != normalize(w.Body) {
		ch = append(ch, "body")
	}
	for _, l := range w.Labels {
		if !containsFold(o.Labels, l) {
			ch = append(ch, "labels")
			break
		}
	}
	if w.Assignee != "" && !containsFold(o.Assignees, w.Assignee) {
		ch = append(ch, "assignees")
	}
	return ch
}

func normalize(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if x != "" && !containsFold(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// ApplyOptions guard and describe a reconciliation.
type ApplyOptions struct {
	// MaxChanges refuses a run that would make more changes (0: no limit).
	MaxChanges int
	// AllowMassClose lifts the guard against closing more than a quarter
	// of the open managed issues (when that is more than five).
	AllowMassClose bool
	// Commit names what resolved an issue in the closing comment.
	Commit string
	// Label is the label that marks orgctl's objects (the first Policy
	// label).
	Label string
	// Labels are every label orgctl uses, created when missing.
	Labels []string
}

// GuardError refuses a run before any write.
type GuardError struct{ Reason string }

func (e *GuardError) Error() string { return e.Reason }

// Report is what a reconciliation did (or, in a dry run, would do).
type Report struct {
	Actions []Action `json:"actions"`
	// Skipped are proposals deliberately left alone (closed by a person,
	// or over --max-proposals).
	Skipped []Skip `json:"skipped,omitempty"`
	// Identity is the login orgctl acts as: the author of its objects.
	Identity string `json:"identity,omitempty"`
	// Foreign are objects that look like orgctl's but that someone else
	// opened: left untouched, reported once.
	Foreign []Foreign `json:"foreign,omitempty"`
	Failed  int       `json:"failed"`
	DryRun  bool      `json:"dryRun"`
	// Stopped says why the run stopped before its last action (GitHub
	// recorded another author than orgctl's identity).
	Stopped string `json:"stopped,omitempty"`
	// Usage is what the run spent of GitHub's API: requests, 304s and
	// rate-limit points.
	Usage *Usage `json:"usage,omitempty"`
}

// ObserveOptions say what Observe looks at.
type ObserveOptions struct {
	// Label is the label that marks orgctl's objects.
	Label string
	// Proposals also lists the open pull requests from orgctl/ branches
	// that carry a marker but not the label (a run cut short between
	// opening one and labelling it), for apply --propose.
	Proposals bool
}

// Observation is what orgctl found on GitHub, ready to compare.
type Observation struct {
	// Identity is the login orgctl acts as (see Client.Identity).
	Identity string
	// Wants are the desired issues, with their final bodies.
	Wants []Want
	// Objects are orgctl's own issues and pull requests (opened by its
	// identity), oldest first.
	Objects []Object
	// Foreign are the objects carrying the label or a marker that someone
	// else opened: never changed, never counted.
	Foreign []Foreign
}

// Observe resolves orgctl's identity, lists the labelled issues and pull
// requests, keeps orgctl's own and sets the others apart, and turns the
// desired issues into Wants. An assignee GitHub refused before (the
// issue's body says so) is not asked for again, so that runs converge.
func (c *Client) Observe(ctx context.Context, desired []reconcile.DesiredIssue, opts ObserveOptions) (Observation, error) {
	// Who orgctl is comes first: without it nothing can be compared, so
	// a token that cannot tell fails before any listing.
	me, err := c.Identity(ctx)
	if err != nil {
		return Observation{}, err
	}
	listed, err := c.ListManaged(ctx, opts.Label)
	if err != nil {
		return Observation{}, err
	}
	observed, foreign, err := c.partition(ctx, listed, opts.Label)
	if err != nil {
		return Observation{}, err
	}
	if opts.Proposals {
		unlabelled, err := c.unlabelledProposals(ctx, listed)
		if err != nil {
			return Observation{}, err
		}
		mine, others, err := c.partition(ctx, unlabelled, opts.Label)
		if err != nil {
			return Observation{}, err
		}
		observed = append(observed, mine...)
		sort.SliceStable(observed, func(i, j int) bool { return observed[i].Number < observed[j].Number })
		for _, f := range others {
			foreign = addForeign(foreign, f)
		}
	}
	refused := map[string][]string{} // fingerprint: the assignees GitHub refused
	for _, o := range observed {
		if m, ok := marker.Parse(o.Body, marker.Unassigned); ok && o.Fingerprint != "" {
			refused[o.Fingerprint] = append(refused[o.Fingerprint], m.Login)
		}
	}
	wants := make([]Want, 0, len(desired))
	for _, d := range desired {
		w := Want{Fingerprint: d.Fingerprint, Title: d.Title, Labels: d.Labels, Assignee: d.Assignee, desired: d}
		if d.Assignee != "" && containsFold(refused[d.Fingerprint], d.Assignee) {
			w.Assignee, w.refused = "", d.Assignee
		}
		w.Body = w.body()
		wants = append(wants, w)
	}
	sort.SliceStable(foreign, func(i, j int) bool { return foreign[i].Number < foreign[j].Number })
	return Observation{Identity: me, Wants: wants, Objects: observed, Foreign: foreign}, nil
}

// markDuplicate rewrites the live marker of a duplicate's body into a
// duplicate-of marker naming the object kept, so that no run manages it
// again.
func markDuplicate(body, fp string, keep int) string {
	return strings.Replace(body, marker.Write(marker.Marker{Kind: marker.Fingerprint, Fingerprint: fp}),
		marker.Write(marker.Marker{Kind: marker.DuplicateOf, Number: keep}), 1)
}

// body renders the issue body, with the unassigned marker and a note when
// the assignee was refused.
func (w *Want) body() string { return render.IssueBody(w.desired, w.refused) }

// refuse drops a refused assignee from the want, noting it in the body.
func (w *Want) refuse() {
	if w.Assignee == "" {
		return
	}
	w.refused, w.Assignee = w.Assignee, ""
	w.Body = w.body()
}

// Check applies the safety guards to planned actions.
func Check(actions []Action, observed []Object, opts ApplyOptions) error {
	if opts.MaxChanges > 0 && len(actions) > opts.MaxChanges {
		return &GuardError{Reason: fmt.Sprintf("this run would make %d changes on GitHub, more than --max-changes %d: check the org with orgctl plan, then raise --max-changes if it is right", len(actions), opts.MaxChanges)}
	}
	open, closing := 0, 0
	for _, o := range observed {
		if o.Fingerprint != "" && o.State == "open" {
			open++
		}
	}
	for _, a := range actions {
		if a.Kind == Close {
			closing++
		}
	}
	if !opts.AllowMassClose && closing > 5 && closing*4 > open {
		return &GuardError{Reason: fmt.Sprintf("this run would close %d of the %d open orgctl issues and pull requests: if the org really resolved them all, run again with --allow-mass-close (a wrong path or a broken checkout looks the same)", closing, open)}
	}
	return nil
}

// Execute carries out the actions one at a time; one object's failure is
// recorded and the others go on.
func (c *Client) Execute(ctx context.Context, actions []Action, opts ApplyOptions) Report {
	rep := Report{Actions: actions}
	if len(actions) > 0 {
		// Labels get orgctl's colours when they are created here; GitHub
		// creates any that are missing anyway, so a failure only costs the
		// colours.
		if err := c.EnsureLabels(ctx, opts.Labels); err != nil {
			c.logf("could not create labels (%v); GitHub will create them with default colours", err)
		}
	}
	for i := range rep.Actions {
		a := &rep.Actions[i]
		if rep.Stopped == "" && ctx.Err() != nil {
			rep.Stopped = ErrInterrupted.Error()
		}
		if rep.Stopped != "" {
			a.Error = "not attempted: the run stopped (see above)"
			rep.Failed++
			continue
		}
		var err error
		if a.Type == "pull" {
			if err = c.executeProposal(ctx, a, opts); err != nil {
				a.Error = err.Error()
				rep.Failed++
			}
			if stopsRun(err) {
				rep.Stopped = err.Error()
			}
			continue
		}
		switch a.Kind {
		case Create:
			a.Number, err = c.create(ctx, a, opts)
		case Update:
			err = c.edit(ctx, a, "")
		case Reopen:
			if err = c.edit(ctx, a, "open"); err == nil {
				err = c.commentOnce(ctx, a.Number, reopenComment(a))
			}
		case Close:
			// Comment first, then close: closing is idempotent, so a run
			// cut short between the two converges next time.
			if err = c.commentOnce(ctx, a.Number, resolvedComment(opts.Commit)); isIdentityError(err) {
				break
			}
			state, reason := "closed", "completed"
			_, cerr := c.EditIssue(ctx, a.Number, &gh.IssueRequest{State: &state, StateReason: &reason})
			err = errors.Join(err, cerr)
		case Duplicate:
			if err = c.commentOnce(ctx, a.Number, fmt.Sprintf("Duplicate of #%d: orgctl keeps one issue per finding.", a.KeepNumber)); isIdentityError(err) {
				break
			}
			state, reason := "closed", "not_planned"
			// The marker is rewritten so that this issue is never taken
			// for the finding's issue again.
			body := markDuplicate(a.observe.Body, a.Fingerprint, a.KeepNumber)
			_, cerr := c.EditIssue(ctx, a.Number, &gh.IssueRequest{State: &state, StateReason: &reason, Body: &body})
			err = errors.Join(err, cerr)
		}
		if err != nil {
			a.Error = err.Error()
			rep.Failed++
		}
		if stopsRun(err) {
			rep.Stopped = err.Error()
		}
	}
	return rep
}

// stopsRun reports an error after which no later action can succeed: the
// identity orgctl assumed is wrong, the run was interrupted (Ctrl-C), or a
// rate limit outlasts what --max-wait has left. The remaining actions are
// then marked "not attempted" instead of each failing (or waiting) in turn.
func stopsRun(err error) bool {
	var rl *RateLimitError
	return isIdentityError(err) || errors.Is(err, ErrInterrupted) || errors.As(err, &rl)
}

// isWriteLost reports an error after which the write may or may not have
// happened (no answer, or a server error).
func isWriteLost(err error) bool {
	if isIdentityError(err) {
		return false
	}
	s := StatusOf(err)
	return s == 0 || s >= 500
}

// create opens an issue. When the answer is lost, it looks again before
// retrying, so that a write that did happen is adopted, never repeated:
// one fingerprint never gets two open issues. An assignee GitHub refuses
// (422) or silently drops is left out and said in the body.
func (c *Client) create(ctx context.Context, a *Action, opts ApplyOptions) (int, error) {
	w := a.want
	o, err := c.CreateIssue(ctx, w.Title, w.Body, w.Labels, assigneesOf(w))
	if err != nil && refusedAssignee(err) && w.Assignee != "" {
		w.refuse()
		o, err = c.CreateIssue(ctx, w.Title, w.Body, w.Labels, nil)
	}
	if err != nil && isWriteLost(err) && !errors.Is(err, ErrDryRun) {
		listed, lerr := c.ListManaged(ctx, opts.Label)
		if lerr != nil {
			return 0, errors.Join(err, lerr)
		}
		observed, _, lerr := c.partition(ctx, listed, opts.Label)
		if lerr != nil {
			return 0, errors.Join(err, lerr)
		}
		found := false
		for _, x := range observed {
			if !x.IsPull && x.State == "open" && x.Fingerprint == w.Fingerprint {
				o, err, found = x, nil, true
				break
			}
		}
		if !found {
			o, err = c.CreateIssue(ctx, w.Title, w.Body, w.Labels, assigneesOf(w))
		}
	}
	if err != nil {
		return o.Number, err
	}
	return o.Number, c.checkAssigned(ctx, o, w)
}

// edit applies an update (and reopens when state is "open").
func (c *Client) edit(ctx context.Context, a *Action, state string) error {
	o, err := c.EditIssue(ctx, a.Number, c.editRequest(a, state))
	if err != nil && refusedAssignee(err) && a.want.Assignee != "" {
		a.want.refuse()
		a.Changes = append(slices.DeleteFunc(a.Changes, func(s string) bool { return s == "assignees" || s == "body" }), "body")
		o, err = c.EditIssue(ctx, a.Number, c.editRequest(a, state))
	}
	if err != nil {
		return err
	}
	return c.checkAssigned(ctx, o, a.want)
}

// checkAssigned notes in the body an assignee GitHub dropped without an
// error, so that the next run does not ask for it again.
func (c *Client) checkAssigned(ctx context.Context, o Object, w *Want) error {
	if w.Assignee == "" || containsFold(o.Assignees, w.Assignee) {
		return nil
	}
	w.refuse()
	_, err := c.EditIssue(ctx, o.Number, &gh.IssueRequest{Body: &w.Body})
	return err
}

func assigneesOf(w *Want) []string {
	if w.Assignee == "" {
		return nil
	}
	return []string{w.Assignee}
}

// refusedAssignee reports a 422 about assignees.
func refusedAssignee(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Status == http.StatusUnprocessableEntity && strings.Contains(strings.ToLower(se.Message), "assignee")
}

// commentOnce posts a comment; when the answer is lost it checks whether
// the comment arrived (as the last of orgctl's own) before posting it again.
func (c *Client) commentOnce(ctx context.Context, number int, body string) error {
	err := c.Comment(ctx, number, body)
	if err == nil || !isWriteLost(err) || errors.Is(err, ErrDryRun) {
		return err
	}
	comments, lerr := c.ListComments(ctx, number)
	if lerr == nil {
		comments, lerr = c.ownComments(ctx, comments)
	}
	if lerr != nil {
		return errors.Join(err, lerr)
	}
	if n := len(comments); n > 0 && normalize(comments[n-1].Body) == normalize(body) {
		return nil
	}
	return c.Comment(ctx, number, body)
}

func (c *Client) editRequest(a *Action, state string) *gh.IssueRequest {
	w := a.want
	req := &gh.IssueRequest{}
	if slices.Contains(a.Changes, "assignees") && w.Assignee == "" {
		a.Changes = slices.DeleteFunc(a.Changes, func(s string) bool { return s == "assignees" })
	}
	if state != "" {
		req.State = &state
	}
	for _, ch := range a.Changes {
		switch ch {
		case "title":
			req.Title = &w.Title
		case "body":
			req.Body = &w.Body
		case "labels":
			l := union(a.observe.Labels, w.Labels)
			req.Labels = &l
		case "assignees":
			as := union(a.observe.Assignees, []string{w.Assignee})
			req.Assignees = &as
		}
	}
	return req
}

func resolvedComment(commit string) string {
	if commit == "" {
		commit = "the current org"
	}
	return fmt.Sprintf("Resolved by %s: orgctl no longer finds this in the org, so it closes the issue.", render.EscapeMarkdown(commit))
}

func reopenComment(a *Action) string {
	f := a.want
	rule, person, _ := strings.Cut(f.Fingerprint, "/")
	if i := strings.Index(person, "/"); i >= 0 {
		person = person[:i]
	}
	return fmt.Sprintf("Reopened by orgctl: the finding still holds, so closing the issue does not make it go away. "+
		"Fix it in the org's YAML, or, if the situation is intended, add an exemption to the Policy:\n\n"+
		"```yaml\nspec:\n  exemptions:\n    - rule: %s\n      person: %s\n      reason: why this is fine for now\n      expires: YYYY-MM-DD\n```\n", render.FencedText(rule), render.FencedText(person))
}
