package ghsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	gh "github.com/google/go-github/v60/github"

	"github.com/orgctl/orgctl/reconcile/ghsync/marker"
)

// orgctl changes only what it wrote (SPEC §5 "Trust"). Markers, labels and
// fingerprints can be typed by anyone, so what makes an issue, pull request
// or comment orgctl's is its author: the login of the token orgctl runs
// with. That login is resolved once per Client:
//
//   - Options.BotLogin, when set (--bot-login, ORGCTL_BOT_LOGIN), is taken
//     as is, without asking GitHub;
//   - otherwise GET /user answers it for a personal (or OAuth) token;
//   - an app installation token (a GitHub App's, or Actions' GITHUB_TOKEN)
//     gets 403 "Resource not accessible by integration" there, and GitHub
//     offers such a token no REST call that names its own bot (GET /app
//     needs the app's JWT). GraphQL's { viewer { login } } does name it
//     ("my-app[bot]"), so orgctl asks that next (a read, sent in a dry run
//     too);
//   - when GraphQL cannot answer (a proxy that passes only REST),
//     Options.AssumeLogin is used when set (github-actions[bot] in GitHub
//     Actions), else the run stops and asks for --bot-login.
//
// A login that was assumed can be wrong (an app token minted inside
// Actions), and a wrong login would make every run duplicate everything.
// So every object orgctl creates is checked: when GitHub names another
// author, the run stops with an *IdentityError naming the login to pass.

// identity caches the login orgctl acts as.
type identity struct {
	mu    sync.Mutex
	login string
}

// IdentityError says GitHub recorded another author than the login orgctl
// took itself for. Execute stops at the first one: carrying on would make
// every object again on every run.
type IdentityError struct {
	// What orgctl created, e.g. "issue #12" or "a comment on #7".
	What string
	// Assumed is the login orgctl took itself for; Observed is the author
	// GitHub recorded.
	Assumed, Observed string
}

func (e *IdentityError) Error() string {
	return fmt.Sprintf("GitHub recorded %s as the author of %s, but orgctl took itself for %s, so it would not recognise what it writes "+
		"and would duplicate it on every run: run again with --bot-login %s (or set ORGCTL_BOT_LOGIN=%s)",
		e.Observed, e.What, e.Assumed, e.Observed, e.Observed)
}

// Identity returns the login orgctl acts as on GitHub, resolving it on
// first use (see the comment at the top of identity.go).
func (c *Client) Identity(ctx context.Context) (string, error) {
	c.id.mu.Lock()
	defer c.id.mu.Unlock()
	if c.id.login != "" {
		return c.id.login, nil
	}
	login, err := c.resolveIdentity(ctx)
	if err != nil {
		return "", err
	}
	c.id.login = login
	return login, nil
}

func (c *Client) resolveIdentity(ctx context.Context) (string, error) {
	if c.botLogin != "" {
		return c.botLogin, nil
	}
	u, _, err := c.gh.Users.Get(ctx, "")
	if err == nil {
		if u.GetLogin() == "" {
			return "", errors.New("GitHub named no login for the token (GET /user): pass --bot-login LOGIN, the account orgctl writes as")
		}
		return u.GetLogin(), nil
	}
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch {
		case er.Response.StatusCode == http.StatusForbidden && strings.Contains(er.Message, "not accessible by integration"):
			login, gerr := c.graphQLViewer(ctx)
			switch {
			case gerr == nil:
				return login, nil
			case c.assumeLogin != "":
				c.logf("could not ask GitHub which bot this installation token is (%v); taking it for %s", gerr, c.assumeLogin)
				return c.assumeLogin, nil
			}
			return "", fmt.Errorf("the token is an app installation token (GitHub refuses it GET /user) and GraphQL could not name its bot (%v): "+
				"pass --bot-login APP-SLUG[bot] (or set ORGCTL_BOT_LOGIN), the bot that writes orgctl's issues and comments, e.g. --bot-login my-app[bot]", gerr)
		case er.Response.StatusCode == http.StatusUnauthorized && c.transport.Token == "":
			return "", errors.New("without a token orgctl cannot tell which issues and comments it wrote: set GITHUB_TOKEN, or pass --bot-login LOGIN (the account orgctl writes as)")
		}
	}
	return "", fmt.Errorf("finding out which account the token belongs to (GET /user): %w; or pass --bot-login LOGIN", explain(err))
}

// readOnlyKey marks a context whose POST requests only read (a GraphQL
// query), so that a dry run sends them.
type readOnlyKey struct{}

func isReadOnly(ctx context.Context) bool { return ctx.Value(readOnlyKey{}) != nil }

// graphQLURL is the GraphQL endpoint beside the REST root: /graphql on
// api.github.com, /api/graphql beside GitHub Enterprise's /api/v3/.
func graphQLURL(rest *url.URL) string {
	u := *rest
	if p, ok := strings.CutSuffix(u.Path, "/api/v3/"); ok {
		u.Path = p + "/api/graphql"
	} else {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/graphql"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// graphQLViewer asks GraphQL which account the token is: the one query
// that names an installation token's bot.
func (c *Client) graphQLViewer(ctx context.Context) (string, error) {
	req, err := c.gh.NewRequest(http.MethodPost, graphQLURL(c.gh.BaseURL), map[string]string{"query": "query { viewer { login } }"})
	if err != nil {
		return "", err
	}
	var answer struct {
		Data struct {
			Viewer struct {
				Login string `json:"login"`
			} `json:"viewer"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if _, err := c.gh.Do(context.WithValue(ctx, readOnlyKey{}, true), req, &answer); err != nil {
		return "", explain(err)
	}
	if len(answer.Errors) > 0 {
		return "", fmt.Errorf("GraphQL answered: %s", answer.Errors[0].Message)
	}
	if answer.Data.Viewer.Login == "" {
		return "", errors.New("GraphQL named no viewer")
	}
	return answer.Data.Viewer.Login, nil
}

// isMine reports whether login is orgctl's own identity (GitHub logins are
// case-insensitive).
func isMine(author, me string) bool { return me != "" && strings.EqualFold(author, me) }

// checkAuthor is the safety net after a create: GitHub's answer must name
// orgctl's identity as the author.
func (c *Client) checkAuthor(ctx context.Context, what, author string) error {
	me, err := c.Identity(ctx)
	if err != nil {
		return err
	}
	if !isMine(author, me) {
		return &IdentityError{What: what, Assumed: me, Observed: author}
	}
	return nil
}

// isIdentityError reports whether err (possibly joined) holds an
// *IdentityError.
func isIdentityError(err error) bool {
	var ie *IdentityError
	return errors.As(err, &ie)
}

// Foreign is an object that looks like orgctl's (it carries orgctl's label
// or a marker) but was written by someone else: orgctl leaves it untouched
// and reports it once.
type Foreign struct {
	// Type is "issue" or "pull".
	Type   string `json:"type"`
	Number int    `json:"number"`
	// Author is the login that opened it.
	Author string `json:"author"`
	// Carries says what made it look like orgctl's.
	Carries string `json:"carries"`
}

// foreignOf describes a foreign object for the report.
func foreignOf(o Object, label string) Foreign {
	f := Foreign{Type: "issue", Number: o.Number, Author: o.Author}
	if o.IsPull {
		f.Type = "pull"
	}
	var what []string
	if containsFold(o.Labels, label) {
		what = append(what, "the label "+label)
	}
	if _, resolved := marker.Parse(o.Body, marker.Resolved); o.Fingerprint != "" || resolved {
		what = append(what, "an orgctl fingerprint marker")
	}
	f.Carries = strings.Join(what, " and ")
	return f
}

// addForeign appends f unless that object is already reported.
func addForeign(list []Foreign, f Foreign) []Foreign {
	for _, x := range list {
		if x.Number == f.Number {
			return list
		}
	}
	return append(list, f)
}

// partition splits observed objects into orgctl's own and the foreign ones.
func (c *Client) partition(ctx context.Context, observed []Object, label string) ([]Object, []Foreign, error) {
	me, err := c.Identity(ctx)
	if err != nil {
		return nil, nil, err
	}
	var mine []Object
	var foreign []Foreign
	for _, o := range observed {
		if isMine(o.Author, me) {
			mine = append(mine, o)
		} else {
			foreign = addForeign(foreign, foreignOf(o, label))
		}
	}
	return mine, foreign, nil
}

// ownComments keeps the comments orgctl wrote.
func (c *Client) ownComments(ctx context.Context, comments []IssueComment) ([]IssueComment, error) {
	me, err := c.Identity(ctx)
	if err != nil {
		return nil, err
	}
	var out []IssueComment
	for _, cm := range comments {
		if isMine(cm.Author, me) {
			out = append(out, cm)
		}
	}
	return out, nil
}
