package githubfake

import (
	"net/http"
	"strconv"
	"time"
)

// Pull request reviews: what people say on a pull request (approve,
// request changes, comment), on the commit that was its head when they
// said it, and dismissals. orgctl consent reads them.

// review is one submitted review.
type review struct {
	id          int64
	author      string
	state       string // APPROVED, CHANGES_REQUESTED, COMMENTED or DISMISSED
	body        string
	commitID    string
	submittedAt time.Time
}

// Review states a person can submit (DISMISSED comes from a dismissal).
const (
	Approved         = "APPROVED"
	ChangesRequested = "CHANGES_REQUESTED"
	Commented        = "COMMENTED"
)

// AddReview submits a review of pull request number by login, as that
// person would: on the pull request's current head commit, with state
// Approved, ChangesRequested or Commented. A submitted review answers the
// person's review request, as on GitHub. It returns the review's id.
func (s *Server) AddReview(owner, repo string, number int, login, state string) int64 {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	r, it := s.mustItem(owner, repo, number)
	if it.pull == nil {
		s.t.Fatalf("githubfake: AddReview: #%d in %s/%s is an issue", number, owner, repo)
	}
	switch state {
	case Approved, ChangesRequested, Commented:
	default:
		s.t.Fatalf("githubfake: AddReview: state %q is none of APPROVED, CHANGES_REQUESTED, COMMENTED", state)
	}
	u := s.st.user(login)
	rv := &review{id: s.st.id(), author: u.login, state: state, commitID: r.headSHA(it.pull), submittedAt: s.now()}
	it.pull.reviews = append(it.pull.reviews, rv)
	kept := it.pull.reviewers[:0:0]
	for _, l := range it.pull.reviewers {
		if l != u.login {
			kept = append(kept, l)
		}
	}
	it.pull.reviewers = kept
	return rv.id
}

// HeadSHA is the commit pull request number's head branch points at.
func (s *Server) HeadSHA(owner, repo string, number int) string {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	r, it := s.mustItem(owner, repo, number)
	if it.pull == nil {
		s.t.Fatalf("githubfake: HeadSHA: #%d in %s/%s is an issue", number, owner, repo)
	}
	return r.headSHA(it.pull)
}

func (s *Server) reviewJSON(r *repo, it *issue, rv *review) map[string]any {
	num := strconv.Itoa(it.number)
	web := s.webURL(r.owner, r.name, "pull", num)
	html := web + "#pullrequestreview-" + strconv.FormatInt(rv.id, 10)
	api := s.apiURL("repos", r.owner, r.name, "pulls", num)
	return map[string]any{
		"id":                 rv.id,
		"node_id":            s.nodeID("PRR", rv.id),
		"user":               s.userJSON(rv.author),
		"body":               rv.body,
		"state":              rv.state,
		"html_url":           html,
		"pull_request_url":   api,
		"_links":             map[string]any{"html": map[string]any{"href": html}, "pull_request": map[string]any{"href": api}},
		"submitted_at":       timestamp(rv.submittedAt),
		"commit_id":          rv.commitID,
		"author_association": s.authorAssociation(rv.author),
	}
}

// listReviews lists a pull request's reviews, oldest first, paginated.
func listReviews(c *call) *response {
	it := c.pull()
	if it == nil {
		return c.notFound()
	}
	out := []any{}
	for _, rv := range it.pull.reviews {
		out = append(out, c.s.reviewJSON(c.repo, it, rv))
	}
	return c.page(out)
}

// dismissReview dismisses an approval or a request for changes, as a
// maintainer would; "message" is required, and a comment or an already
// dismissed review cannot be dismissed.
func dismissReview(c *call) *response {
	it := c.pull()
	if it == nil {
		return c.notFound()
	}
	id, err := strconv.ParseInt(c.params["review_id"], 10, 64)
	if err != nil {
		return c.notFound()
	}
	var rv *review
	for _, x := range it.pull.reviews {
		if x.id == id {
			rv = x
		}
	}
	if rv == nil {
		return c.notFound()
	}
	f, bad := c.decode()
	if bad != nil {
		return bad
	}
	var message string
	if ok, bad := field(c, f, "message", &message); bad != nil {
		return bad
	} else if !ok {
		return c.unprocessable("Invalid request.\n\n\"message\" wasn't supplied.")
	}
	if rv.state != Approved && rv.state != ChangesRequested {
		return c.unprocessable("Can not dismiss a " + map[string]string{Commented: "commented", "DISMISSED": "dismissed"}[rv.state] + " pull request review")
	}
	rv.state = "DISMISSED"
	return c.json(http.StatusOK, c.s.reviewJSON(c.repo, it, rv))
}

// DismissReview dismisses review id on pull request number, as a
// maintainer would through the API (see dismissReview).
func (s *Server) DismissReview(owner, repo string, number int, id int64) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	_, it := s.mustItem(owner, repo, number)
	for _, rv := range it.pull.reviews {
		if rv.id == id && (rv.state == Approved || rv.state == ChangesRequested) {
			rv.state = "DISMISSED"
			return
		}
	}
	s.t.Fatalf("githubfake: DismissReview: no approval or request for changes %d on #%d in %s/%s", id, number, owner, repo)
}

// Review is a snapshot of one submitted review.
type Review struct {
	ID       int64
	Author   string
	State    string
	CommitID string
}

// Reviews returns a snapshot of the reviews of pull request number,
// oldest first.
func (s *Server) Reviews(owner, repo string, number int) []Review {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	_, it := s.mustItem(owner, repo, number)
	var out []Review
	if it.pull != nil {
		for _, rv := range it.pull.reviews {
			out = append(out, Review{ID: rv.id, Author: rv.author, State: rv.state, CommitID: rv.commitID})
		}
	}
	return out
}
