package githubfake

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
)

// This file holds the fake's state: repositories with their issues, pull
// requests, comments, labels, branches and files, and the users it knows.
// The Server methods here seed it and take snapshots of it; the handlers in
// routes.go change it. Everything is guarded by Server.mu.

// Issue is a snapshot of an issue (or of the issue side of a pull request),
// and the input of AddIssue.
type Issue struct {
	// Number is assigned by the fake; AddIssue ignores it.
	Number int
	// Title and Body are as on GitHub (a null body reads as "").
	Title string
	Body  string
	// State is "open" or "closed" (AddIssue: "" means open).
	State string
	// StateReason is "completed", "not_planned", "duplicate", "reopened" or
	// "" (AddIssue: a closed issue without one is "completed").
	StateReason string
	// Labels are label names; AddIssue creates the ones the repository lacks.
	Labels []string
	// Assignees are logins.
	Assignees []string
	// Author is the login that opened it (AddIssue: "" means the viewer).
	Author string
	// CreatedAt, UpdatedAt and ClosedAt come from the fake's clock
	// (AddIssue: zero means now; ClosedAt is zero while open).
	CreatedAt time.Time
	UpdatedAt time.Time
	ClosedAt  time.Time
	// ClosedBy is the login that closed it ("" while open; AddIssue: the
	// author when a closed issue names no one).
	ClosedBy string
	// Comments are the issue's comments, oldest first (AddIssue seeds them too).
	Comments []Comment
}

// Comment is a snapshot of an issue or pull-request comment.
type Comment struct {
	// ID is assigned by the fake.
	ID int64
	// Author is a login ("" in a seed means the viewer).
	Author string
	// Body is the comment's Markdown.
	Body string
	// CreatedAt and UpdatedAt come from the fake's clock.
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Label is a snapshot of a repository label.
type Label struct {
	// Name is matched case-insensitively, as on GitHub.
	Name string
	// Color is six hex digits without "#".
	Color string
	// Description may be empty.
	Description string
}

// Pull is a snapshot of a pull request, and the input of AddPull. Its issue
// side (number, title, body, state, labels, assignees, comments) is Issue.
type Pull struct {
	Issue
	// Head and Base are branch names in the same repository.
	Head string
	Base string
	// Draft and Merged are as on GitHub; the fake never merges by itself.
	Draft  bool
	Merged bool
	// RequestedReviewers are logins whose review was requested.
	RequestedReviewers []string
	// MaintainerCanModify is the flag of the same name.
	MaintainerCanModify bool
}

type store struct {
	repos  map[string]*repo // key: lower-case "owner/name"
	users  map[string]*user // key: lower-case login
	nextID int64
}

type user struct {
	id         int64
	login      string
	assignable bool
}

type repo struct {
	id            int64
	owner, name   string
	defaultBranch string
	createdAt     time.Time
	items         map[int]*issue // issues and pull requests by number
	nextNumber    int
	labels        []*label // in creation order
	comments      map[int64]*comment
	refs          map[string]string // branch name → commit sha
	commits       map[string]*commit
}

type issue struct {
	id          int64
	number      int
	title, body string
	state       string
	stateReason string
	author      string
	labels      []*label
	assignees   []string
	createdAt   time.Time
	updatedAt   time.Time
	closedAt    time.Time
	closedBy    string
	comments    []*comment
	pull        *pull // non-nil for a pull request
}

type pull struct {
	id                  int64
	head, base          string
	headSHA             string // last known head commit, kept when the branch is deleted
	draft, merged       bool
	maintainerCanModify bool
	reviewers           []string
	reviews             []*review // submitted reviews, oldest first
}

type comment struct {
	id        int64
	issue     *issue
	author    string
	body      string
	createdAt time.Time
	updatedAt time.Time
}

type label struct {
	id          int64
	name        string
	color       string
	description string
}

// commit is one commit; files is the whole tree at that commit (path → content).
type commit struct {
	sha     string
	parent  string
	message string
	author  string
	date    time.Time
	files   map[string]string
}

func newStore() store {
	return store{repos: map[string]*repo{}, users: map[string]*user{}}
}

func (st *store) id() int64 {
	st.nextID++
	return st.nextID
}

func repoKey(owner, name string) string { return strings.ToLower(owner + "/" + name) }

func (st *store) repo(owner, name string) *repo { return st.repos[repoKey(owner, name)] }

// user returns the user with that login, creating one (not assignable) when
// the fake has not seen it yet.
func (st *store) user(login string) *user {
	key := strings.ToLower(login)
	if u, ok := st.users[key]; ok {
		return u
	}
	u := &user{id: st.id(), login: login}
	st.users[key] = u
	return u
}

// assignable reports whether login can be assigned, and its canonical spelling.
func (st *store) assignable(login string) (string, bool) {
	u, ok := st.users[strings.ToLower(login)]
	if !ok || !u.assignable {
		return "", false
	}
	return u.login, true
}

func (r *repo) label(name string) *label {
	for _, l := range r.labels {
		if strings.EqualFold(l.name, name) {
			return l
		}
	}
	return nil
}

// ensureLabel returns the label called name, creating it with GitHub's
// default colour when it does not exist (as GitHub does when an issue is
// created or edited with a label the repository lacks).
func (st *store) ensureLabel(r *repo, name string) *label {
	if l := r.label(name); l != nil {
		return l
	}
	l := &label{id: st.id(), name: name, color: "ededed"}
	r.labels = append(r.labels, l)
	return l
}

// sortedItems returns the repository's issues and pull requests by number.
func (r *repo) sortedItems() []*issue {
	out := make([]*issue, 0, len(r.items))
	for _, it := range r.items {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].number < out[j].number })
	return out
}

// blobSHA is git's object id of a blob with that content.
func blobSHA(content string) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00%s", len(content), content)
	return hex.EncodeToString(h.Sum(nil))
}

func treeSHA(files map[string]string) string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	h := sha1.New()
	for _, p := range paths {
		fmt.Fprintf(h, "%s\x00%s\n", p, blobSHA(files[p]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// commitFiles records a commit whose parent is parent and whose tree is
// files, and returns it; no branch moves.
func (r *repo) commitFiles(parent string, files map[string]string, message, author string, date time.Time) *commit {
	h := sha1.New()
	fmt.Fprintf(h, "commit\ntree %s\nparent %s\nauthor %s %d\n\n%s", treeSHA(files), parent, author, date.Unix(), message)
	c := &commit{sha: hex.EncodeToString(h.Sum(nil)), parent: parent, message: message, author: author, date: date, files: files}
	r.commits[c.sha] = c
	return c
}

// putFile commits content at path on top of branch and moves the branch.
func (r *repo) putFile(branch, path, content, message, author string, date time.Time) *commit {
	head := r.commits[r.refs[branch]]
	files := make(map[string]string, len(head.files)+1)
	for p, c := range head.files {
		files[p] = c
	}
	files[path] = content
	c := r.commitFiles(head.sha, files, message, author, date)
	r.refs[branch] = c.sha
	return c
}

// isAncestor reports whether commit a is b or one of b's ancestors.
func (r *repo) isAncestor(a, b string) bool {
	for sha := b; sha != ""; {
		if sha == a {
			return true
		}
		c := r.commits[sha]
		if c == nil {
			return false
		}
		sha = c.parent
	}
	return false
}

// resolve turns a ref as the contents API accepts it (a branch, "heads/x",
// "refs/heads/x" or a commit sha) into a commit.
func (r *repo) resolve(ref string) *commit {
	if ref == "" {
		ref = r.defaultBranch
	}
	name := strings.TrimPrefix(strings.TrimPrefix(ref, "refs/"), "heads/")
	if sha, ok := r.refs[name]; ok {
		return r.commits[sha]
	}
	return r.commits[ref]
}

// headSHA is the pull request's head commit: the branch's when it exists.
func (r *repo) headSHA(p *pull) string {
	if sha, ok := r.refs[p.head]; ok {
		p.headSHA = sha
	}
	return p.headSHA
}

func (it *issue) labelNames() []string {
	out := make([]string, len(it.labels))
	for i, l := range it.labels {
		out[i] = l.name
	}
	return out
}

func (it *issue) snapshot() Issue {
	out := Issue{
		Number:      it.number,
		Title:       it.title,
		Body:        it.body,
		State:       it.state,
		StateReason: it.stateReason,
		Labels:      it.labelNames(),
		Assignees:   append([]string(nil), it.assignees...),
		Author:      it.author,
		CreatedAt:   it.createdAt,
		UpdatedAt:   it.updatedAt,
		ClosedAt:    it.closedAt,
		ClosedBy:    it.closedBy,
	}
	for _, c := range it.comments {
		out.Comments = append(out.Comments, c.snapshot())
	}
	return out
}

func (c *comment) snapshot() Comment {
	return Comment{ID: c.id, Author: c.author, Body: c.body, CreatedAt: c.createdAt, UpdatedAt: c.updatedAt}
}

// ---- seeding and inspecting, for tests ----

// mustRepo returns the repository or fails the test.
func (s *Server) mustRepo(owner, name string) *repo {
	r := s.st.repo(owner, name)
	if r == nil {
		s.t.Helper()
		s.t.Fatalf("githubfake: no repository %s/%s (call AddRepo first)", owner, name)
	}
	return r
}

// AddRepo creates the repository owner/name whose default branch,
// defaultBranch ("main" when empty), holds one empty commit.
func (s *Server) AddRepo(owner, name, defaultBranch string) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.repo(owner, name) != nil {
		s.t.Fatalf("githubfake: repository %s/%s already exists", owner, name)
	}
	if defaultBranch == "" {
		defaultBranch = "main"
	}
	now := s.now()
	r := &repo{
		id: s.st.id(), owner: owner, name: name, defaultBranch: defaultBranch, createdAt: now,
		items: map[int]*issue{}, nextNumber: 1, comments: map[int64]*comment{},
		refs: map[string]string{}, commits: map[string]*commit{},
	}
	s.st.user(owner)
	root := r.commitFiles("", map[string]string{}, "Initial commit", owner, now)
	r.refs[defaultBranch] = root.sha
	s.st.repos[repoKey(owner, name)] = r
}

// AddUser registers login as a user who can be assigned to issues and asked
// for reviews in every repository of the fake (a collaborator). Logins the
// fake has not been told about are unknown to it and cannot be assigned.
func (s *Server) AddUser(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.user(login).assignable = true
}

// AddLabel creates a label in owner/repo (color "ededed" when empty).
func (s *Server) AddLabel(owner, repo string, l Label) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if r.label(l.Name) != nil {
		s.t.Fatalf("githubfake: label %q already exists in %s/%s", l.Name, owner, repo)
	}
	if l.Color == "" {
		l.Color = "ededed"
	}
	r.labels = append(r.labels, &label{id: s.st.id(), name: l.Name, color: l.Color, description: l.Description})
}

// AddIssue creates an issue in owner/repo as described by in (see Issue for
// the defaults) and returns its number. It is not a request: it is neither
// recorded nor counted.
func (s *Server) AddIssue(owner, repo string, in Issue) int {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addItem(s.mustRepo(owner, repo), in, nil).number
}

// AddPull creates a pull request from in.Head to in.Base (the default branch
// when empty) in owner/repo and returns its number. Both branches must exist.
func (s *Server) AddPull(owner, repo string, in Pull) int {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if in.Base == "" {
		in.Base = r.defaultBranch
	}
	for _, b := range []string{in.Head, in.Base} {
		if _, ok := r.refs[b]; !ok {
			s.t.Fatalf("githubfake: AddPull: no branch %q in %s/%s (call AddBranch first)", b, owner, repo)
		}
	}
	p := &pull{id: s.st.id(), head: in.Head, base: in.Base, draft: in.Draft, merged: in.Merged,
		maintainerCanModify: in.MaintainerCanModify, reviewers: append([]string(nil), in.RequestedReviewers...)}
	return s.addItem(r, in.Issue, p).number
}

func (s *Server) addItem(r *repo, in Issue, p *pull) *issue {
	now := s.now()
	it := &issue{
		id: s.st.id(), number: r.nextNumber, title: in.Title, body: in.Body,
		state: "open", stateReason: in.StateReason, author: in.Author,
		assignees: append([]string(nil), in.Assignees...),
		createdAt: in.CreatedAt, updatedAt: in.UpdatedAt, closedAt: in.ClosedAt, closedBy: in.ClosedBy,
		pull: p,
	}
	r.nextNumber++
	if it.author == "" {
		it.author = s.viewer
	}
	s.st.user(it.author)
	if it.createdAt.IsZero() {
		it.createdAt = now
	}
	if it.updatedAt.IsZero() {
		it.updatedAt = it.createdAt
	}
	if in.State == "closed" {
		it.state = "closed"
		if it.closedAt.IsZero() {
			it.closedAt = it.updatedAt
		}
		if it.closedBy == "" {
			it.closedBy = it.author
		}
		if it.stateReason == "" && p == nil {
			it.stateReason = "completed"
		}
	}
	for _, name := range in.Labels {
		it.labels = append(it.labels, s.st.ensureLabel(r, name))
	}
	for _, c := range in.Comments {
		s.addComment(r, it, c)
	}
	if p != nil {
		r.headSHA(p)
	}
	r.items[it.number] = it
	return it
}

func (s *Server) addComment(r *repo, it *issue, in Comment) *comment {
	c := &comment{id: s.st.id(), issue: it, author: in.Author, body: in.Body, createdAt: in.CreatedAt, updatedAt: in.UpdatedAt}
	if c.author == "" {
		c.author = s.viewer
	}
	s.st.user(c.author)
	if c.createdAt.IsZero() {
		c.createdAt = s.now()
	}
	if c.updatedAt.IsZero() {
		c.updatedAt = c.createdAt
	}
	it.comments = append(it.comments, c)
	r.comments[c.id] = c
	return c
}

// mustItem returns issue or pull request number of owner/repo or fails the test.
func (s *Server) mustItem(owner, repo string, number int) (*repo, *issue) {
	r := s.mustRepo(owner, repo)
	it := r.items[number]
	if it == nil {
		s.t.Fatalf("githubfake: no issue or pull request #%d in %s/%s", number, owner, repo)
	}
	return r, it
}

// AddComment adds a comment by author (the viewer when empty) to issue or
// pull request number, as a person would, and returns its id.
func (s *Server) AddComment(owner, repo string, number int, author, body string) int64 {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	r, it := s.mustItem(owner, repo, number)
	c := s.addComment(r, it, Comment{Author: author, Body: body})
	it.updatedAt = c.createdAt
	return c.id
}

// CloseIssue closes issue number as the person by would, with reason
// "completed" (when empty), "not_planned" or "duplicate".
func (s *Server) CloseIssue(owner, repo string, number int, by, reason string) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	_, it := s.mustItem(owner, repo, number)
	if reason == "" && it.pull == nil {
		reason = "completed"
	}
	now := s.now()
	s.st.user(by)
	it.state, it.stateReason, it.closedAt, it.closedBy, it.updatedAt = "closed", reason, now, by, now
}

// AddBranch creates branch in owner/repo pointing where from points (the
// default branch when empty).
func (s *Server) AddBranch(owner, repo, branch, from string) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if from == "" {
		from = r.defaultBranch
	}
	sha, ok := r.refs[from]
	if !ok {
		s.t.Fatalf("githubfake: AddBranch: no branch %q in %s/%s", from, owner, repo)
	}
	if _, exists := r.refs[branch]; exists {
		s.t.Fatalf("githubfake: AddBranch: branch %q already exists in %s/%s", branch, owner, repo)
	}
	r.refs[branch] = sha
}

// AddFile commits content at path on branch (the default branch when empty),
// as a push would.
func (s *Server) AddFile(owner, repo, branch, path, content string) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if branch == "" {
		branch = r.defaultBranch
	}
	if _, ok := r.refs[branch]; !ok {
		s.t.Fatalf("githubfake: AddFile: no branch %q in %s/%s", branch, owner, repo)
	}
	r.putFile(branch, path, content, "Add "+path, s.viewer, s.now())
}

// Issues returns a snapshot of the issues of owner/repo (pull requests
// excluded: see Pulls), by number.
func (s *Server) Issues(owner, repo string) []Issue {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Issue
	for _, it := range s.mustRepo(owner, repo).sortedItems() {
		if it.pull == nil {
			out = append(out, it.snapshot())
		}
	}
	return out
}

// Pulls returns a snapshot of the pull requests of owner/repo, by number.
func (s *Server) Pulls(owner, repo string) []Pull {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	var out []Pull
	for _, it := range r.sortedItems() {
		if p := it.pull; p != nil {
			out = append(out, Pull{Issue: it.snapshot(), Head: p.head, Base: p.base, Draft: p.draft, Merged: p.merged,
				RequestedReviewers: append([]string(nil), p.reviewers...), MaintainerCanModify: p.maintainerCanModify})
		}
	}
	return out
}

// Comments returns a snapshot of the comments on issue or pull request
// number of owner/repo, oldest first.
func (s *Server) Comments(owner, repo string, number int) []Comment {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	_, it := s.mustItem(owner, repo, number)
	return it.snapshot().Comments
}

// Labels returns a snapshot of the labels of owner/repo, in creation order.
func (s *Server) Labels(owner, repo string) []Label {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Label
	for _, l := range s.mustRepo(owner, repo).labels {
		out = append(out, Label{Name: l.name, Color: l.color, Description: l.description})
	}
	return out
}

// Branches returns the branch names of owner/repo, sorted.
func (s *Server) Branches(owner, repo string) []string {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for b := range s.mustRepo(owner, repo).refs {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

// BranchSHA returns the commit branch points to in owner/repo, and whether
// the branch exists.
func (s *Server) BranchSHA(owner, repo, branch string) (string, bool) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	sha, ok := s.mustRepo(owner, repo).refs[branch]
	return sha, ok
}

// File returns the content of path at ref (a branch or commit sha; the
// default branch when empty) in owner/repo, and whether it exists.
func (s *Server) File(owner, repo, ref, path string) (string, bool) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustRepo(owner, repo).resolve(ref)
	if c == nil {
		return "", false
	}
	content, ok := c.files[path]
	return content, ok
}
