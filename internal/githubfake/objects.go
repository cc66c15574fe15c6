package githubfake

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file renders the fake's state as GitHub's JSON objects (user, label,
// issue, issue-comment, full-repository, pull-request, git-ref,
// content-file, file-commit), with every field the OpenAPI description
// requires. Called with s.mu held.

// apiURL joins path segments, escaped, onto the API base URL.
func (s *Server) apiURL(segs ...string) string {
	return s.srv.URL + s.prefix + "/" + escapeSegs(segs)
}

// webURL joins path segments onto the web root (where html_url points).
func (s *Server) webURL(segs ...string) string {
	return s.srv.URL + "/" + escapeSegs(segs)
}

func escapeSegs(segs []string) string {
	out := make([]string, len(segs))
	for i, seg := range segs {
		out[i] = url.PathEscape(seg)
	}
	return strings.Join(out, "/")
}

func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// nullableTime is null for the zero time, as GitHub's closed_at.
func nullableTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return timestamp(t)
}

func nullableString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nodeID is an opaque GraphQL id, like GitHub's "I_kwDO...".
func (s *Server) nodeID(kind string, id int64) string {
	return s.nodeKey(kind, strconv.FormatInt(id, 10))
}

func (s *Server) nodeKey(kind, key string) string {
	return kind + "_" + base64.RawURLEncoding.EncodeToString([]byte("githubfake:"+key))
}

func (s *Server) userJSON(login string) map[string]any {
	u := s.st.user(login)
	api := s.apiURL("users", u.login)
	kind := "User"
	if strings.HasSuffix(u.login, "[bot]") {
		kind = "Bot"
	}
	return map[string]any{
		"login":               u.login,
		"id":                  u.id,
		"node_id":             s.nodeID("U", u.id),
		"avatar_url":          s.webURL("avatars", u.login),
		"gravatar_id":         "",
		"url":                 api,
		"html_url":            s.webURL(u.login),
		"followers_url":       api + "/followers",
		"following_url":       api + "/following{/other_user}",
		"gists_url":           api + "/gists{/gist_id}",
		"starred_url":         api + "/starred{/owner}{/repo}",
		"subscriptions_url":   api + "/subscriptions",
		"organizations_url":   api + "/orgs",
		"repos_url":           api + "/repos",
		"events_url":          api + "/events{/privacy}",
		"received_events_url": api + "/received_events",
		"type":                kind,
		"site_admin":          false,
		"user_view_type":      "public",
	}
}

// publicUserJSON is the full profile GET /user answers (GitHub's
// public-user: the simple user plus profile fields, which the fake leaves
// empty).
func (s *Server) publicUserJSON(login string) map[string]any {
	u := s.userJSON(login)
	for _, k := range []string{"name", "company", "location", "email", "hireable", "bio", "twitter_username"} {
		u[k] = nil
	}
	u["blog"] = ""
	for _, k := range []string{"public_repos", "public_gists", "followers", "following"} {
		u[k] = 0
	}
	// An account's dates do not move with each request: GitHub answers
	// the same user the same way, so that its ETag holds.
	u["created_at"] = timestamp(s.started)
	u["updated_at"] = timestamp(s.started)
	return u
}

func (s *Server) usersJSON(logins []string) []any {
	out := make([]any, len(logins))
	for i, l := range logins {
		out[i] = s.userJSON(l)
	}
	return out
}

func (s *Server) authorAssociation(login string) string {
	if _, ok := s.st.assignable(login); ok {
		return "MEMBER"
	}
	return "NONE"
}

func (s *Server) labelJSON(r *repo, l *label) map[string]any {
	return map[string]any{
		"id":          l.id,
		"node_id":     s.nodeID("LA", l.id),
		"url":         s.apiURL("repos", r.owner, r.name, "labels", l.name),
		"name":        l.name,
		"description": nullableString(l.description),
		"color":       l.color,
		"default":     false,
	}
}

func (s *Server) reactionsJSON(url string) map[string]any {
	return map[string]any{
		"url": url, "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "confused": 0,
		"heart": 0, "hooray": 0, "eyes": 0, "rocket": 0,
	}
}

func (s *Server) issueJSON(r *repo, it *issue) map[string]any {
	api := s.apiURL("repos", r.owner, r.name, "issues", strconv.Itoa(it.number))
	kind := "issues"
	if it.pull != nil {
		kind = "pull"
	}
	labels := make([]any, len(it.labels))
	for i, l := range it.labels {
		labels[i] = s.labelJSON(r, l)
	}
	var assignee any
	if len(it.assignees) > 0 {
		assignee = s.userJSON(it.assignees[0])
	}
	var closedBy any
	if it.closedBy != "" {
		closedBy = s.userJSON(it.closedBy)
	}
	out := map[string]any{
		"id":                       it.id,
		"node_id":                  s.nodeID("I", it.id),
		"url":                      api,
		"repository_url":           s.apiURL("repos", r.owner, r.name),
		"labels_url":               api + "/labels{/name}",
		"comments_url":             api + "/comments",
		"events_url":               api + "/events",
		"timeline_url":             api + "/timeline",
		"html_url":                 s.webURL(r.owner, r.name, kind, strconv.Itoa(it.number)),
		"number":                   it.number,
		"state":                    it.state,
		"state_reason":             nullableString(it.stateReason),
		"title":                    it.title,
		"body":                     nullableString(it.body),
		"user":                     s.userJSON(it.author),
		"labels":                   labels,
		"assignee":                 assignee,
		"assignees":                s.usersJSON(it.assignees),
		"milestone":                nil,
		"locked":                   false,
		"active_lock_reason":       nil,
		"comments":                 len(it.comments),
		"closed_at":                nullableTime(it.closedAt),
		"created_at":               timestamp(it.createdAt),
		"updated_at":               timestamp(it.updatedAt),
		"closed_by":                closedBy,
		"author_association":       s.authorAssociation(it.author),
		"reactions":                s.reactionsJSON(api + "/reactions"),
		"performed_via_github_app": nil,
	}
	if p := it.pull; p != nil {
		web := s.webURL(r.owner, r.name, "pull", strconv.Itoa(it.number))
		var mergedAt any
		if p.merged {
			mergedAt = nullableTime(it.closedAt)
		}
		out["pull_request"] = map[string]any{
			"url":       s.apiURL("repos", r.owner, r.name, "pulls", strconv.Itoa(it.number)),
			"html_url":  web,
			"diff_url":  web + ".diff",
			"patch_url": web + ".patch",
			"merged_at": mergedAt,
		}
		out["draft"] = p.draft
	}
	return out
}

func (s *Server) commentJSON(r *repo, c *comment) map[string]any {
	api := s.apiURL("repos", r.owner, r.name, "issues", "comments", strconv.FormatInt(c.id, 10))
	kind := "issues"
	if c.issue.pull != nil {
		kind = "pull"
	}
	return map[string]any{
		"id":                       c.id,
		"node_id":                  s.nodeID("IC", c.id),
		"url":                      api,
		"html_url":                 fmt.Sprintf("%s#issuecomment-%d", s.webURL(r.owner, r.name, kind, strconv.Itoa(c.issue.number)), c.id),
		"body":                     c.body,
		"user":                     s.userJSON(c.author),
		"created_at":               timestamp(c.createdAt),
		"updated_at":               timestamp(c.updatedAt),
		"issue_url":                s.apiURL("repos", r.owner, r.name, "issues", strconv.Itoa(c.issue.number)),
		"author_association":       s.authorAssociation(c.author),
		"reactions":                s.reactionsJSON(api + "/reactions"),
		"performed_via_github_app": nil,
	}
}

func (s *Server) repoJSON(r *repo) map[string]any {
	api := s.apiURL("repos", r.owner, r.name)
	web := s.webURL(r.owner, r.name)
	open := 0
	for _, it := range r.items {
		if it.state == "open" {
			open++
		}
	}
	pushed := r.createdAt
	for _, c := range r.commits {
		if c.date.After(pushed) {
			pushed = c.date
		}
	}
	return map[string]any{
		"id":                 r.id,
		"node_id":            s.nodeID("R", r.id),
		"name":               r.name,
		"full_name":          r.owner + "/" + r.name,
		"owner":              s.userJSON(r.owner),
		"private":            true,
		"visibility":         "private",
		"html_url":           web,
		"description":        nil,
		"fork":               false,
		"url":                api,
		"archive_url":        api + "/{archive_format}{/ref}",
		"assignees_url":      api + "/assignees{/user}",
		"blobs_url":          api + "/git/blobs{/sha}",
		"branches_url":       api + "/branches{/branch}",
		"collaborators_url":  api + "/collaborators{/collaborator}",
		"comments_url":       api + "/comments{/number}",
		"commits_url":        api + "/commits{/sha}",
		"compare_url":        api + "/compare/{base}...{head}",
		"contents_url":       api + "/contents/{+path}",
		"contributors_url":   api + "/contributors",
		"deployments_url":    api + "/deployments",
		"downloads_url":      api + "/downloads",
		"events_url":         api + "/events",
		"forks_url":          api + "/forks",
		"git_commits_url":    api + "/git/commits{/sha}",
		"git_refs_url":       api + "/git/refs{/sha}",
		"git_tags_url":       api + "/git/tags{/sha}",
		"git_url":            "git://" + strings.TrimPrefix(web, "http://") + ".git",
		"issue_comment_url":  api + "/issues/comments{/number}",
		"issue_events_url":   api + "/issues/events{/number}",
		"issues_url":         api + "/issues{/number}",
		"keys_url":           api + "/keys{/key_id}",
		"labels_url":         api + "/labels{/name}",
		"languages_url":      api + "/languages",
		"merges_url":         api + "/merges",
		"milestones_url":     api + "/milestones{/number}",
		"notifications_url":  api + "/notifications{?since,all,participating}",
		"pulls_url":          api + "/pulls{/number}",
		"releases_url":       api + "/releases{/id}",
		"ssh_url":            "git@" + strings.TrimPrefix(s.srv.URL, "http://") + ":" + r.owner + "/" + r.name + ".git",
		"stargazers_url":     api + "/stargazers",
		"statuses_url":       api + "/statuses/{sha}",
		"subscribers_url":    api + "/subscribers",
		"subscription_url":   api + "/subscription",
		"tags_url":           api + "/tags",
		"teams_url":          api + "/teams",
		"trees_url":          api + "/git/trees{/sha}",
		"clone_url":          web + ".git",
		"mirror_url":         nil,
		"hooks_url":          api + "/hooks",
		"svn_url":            web,
		"homepage":           nil,
		"language":           nil,
		"forks_count":        0,
		"forks":              0,
		"stargazers_count":   0,
		"watchers_count":     0,
		"watchers":           0,
		"size":               0,
		"default_branch":     r.defaultBranch,
		"open_issues_count":  open,
		"open_issues":        open,
		"is_template":        false,
		"topics":             []any{},
		"has_issues":         true,
		"has_projects":       false,
		"has_wiki":           false,
		"has_pages":          false,
		"has_downloads":      false,
		"has_discussions":    false,
		"archived":           false,
		"disabled":           false,
		"pushed_at":          timestamp(pushed),
		"created_at":         timestamp(r.createdAt),
		"updated_at":         timestamp(pushed),
		"permissions":        map[string]any{"admin": false, "maintain": false, "push": true, "triage": true, "pull": true},
		"allow_rebase_merge": true,
		"allow_squash_merge": true,
		"allow_merge_commit": true,
		"license":            nil,
		"network_count":      0,
		"subscribers_count":  0,
	}
}

// branchJSON is a pull request's head or base.
func (s *Server) branchJSON(r *repo, branch, sha string) map[string]any {
	return map[string]any{
		"label": r.owner + ":" + branch,
		"ref":   branch,
		"sha":   sha,
		"user":  s.userJSON(r.owner),
		"repo":  s.repoJSON(r),
	}
}

func (s *Server) pullJSON(r *repo, it *issue) map[string]any {
	p := it.pull
	num := strconv.Itoa(it.number)
	api := s.apiURL("repos", r.owner, r.name, "pulls", num)
	issueAPI := s.apiURL("repos", r.owner, r.name, "issues", num)
	web := s.webURL(r.owner, r.name, "pull", num)
	headSHA := r.headSHA(p)
	baseSHA := r.refs[p.base]
	commits, changed, additions, deletions := r.diffStats(baseSHA, headSHA)

	labels := make([]any, len(it.labels))
	for i, l := range it.labels {
		labels[i] = s.labelJSON(r, l)
	}
	var assignee any
	if len(it.assignees) > 0 {
		assignee = s.userJSON(it.assignees[0])
	}
	var mergedAt, mergedBy any
	if p.merged {
		mergedAt, mergedBy = nullableTime(it.closedAt), s.userJSON(it.closedBy)
	}
	href := func(u string) map[string]any { return map[string]any{"href": u} }
	return map[string]any{
		"id":                    p.id,
		"node_id":               s.nodeID("PR", p.id),
		"url":                   api,
		"html_url":              web,
		"diff_url":              web + ".diff",
		"patch_url":             web + ".patch",
		"issue_url":             issueAPI,
		"commits_url":           api + "/commits",
		"review_comments_url":   api + "/comments",
		"review_comment_url":    s.apiURL("repos", r.owner, r.name, "pulls", "comments") + "{/number}",
		"comments_url":          issueAPI + "/comments",
		"statuses_url":          s.apiURL("repos", r.owner, r.name, "statuses", headSHA),
		"number":                it.number,
		"state":                 it.state,
		"locked":                false,
		"title":                 it.title,
		"user":                  s.userJSON(it.author),
		"body":                  nullableString(it.body),
		"labels":                labels,
		"milestone":             nil,
		"active_lock_reason":    nil,
		"created_at":            timestamp(it.createdAt),
		"updated_at":            timestamp(it.updatedAt),
		"closed_at":             nullableTime(it.closedAt),
		"merged_at":             mergedAt,
		"merge_commit_sha":      nil,
		"assignee":              assignee,
		"assignees":             s.usersJSON(it.assignees),
		"requested_reviewers":   s.usersJSON(p.reviewers),
		"requested_teams":       []any{},
		"head":                  s.branchJSON(r, p.head, headSHA),
		"base":                  s.branchJSON(r, p.base, baseSHA),
		"author_association":    s.authorAssociation(it.author),
		"auto_merge":            nil,
		"draft":                 p.draft,
		"merged":                p.merged,
		"mergeable":             nil,
		"rebaseable":            nil,
		"mergeable_state":       "unknown",
		"merged_by":             mergedBy,
		"comments":              len(it.comments),
		"review_comments":       0,
		"maintainer_can_modify": p.maintainerCanModify,
		"commits":               commits,
		"additions":             additions,
		"deletions":             deletions,
		"changed_files":         changed,
		"_links": map[string]any{
			"self":            href(api),
			"html":            href(web),
			"issue":           href(issueAPI),
			"comments":        href(issueAPI + "/comments"),
			"review_comments": href(api + "/comments"),
			"review_comment":  href(s.apiURL("repos", r.owner, r.name, "pulls", "comments") + "{/number}"),
			"commits":         href(api + "/commits"),
			"statuses":        href(s.apiURL("repos", r.owner, r.name, "statuses", headSHA)),
		},
	}
}

// diffStats compares head with base: the commits on head that base lacks,
// and the files and lines that differ (lines counted as a multiset).
func (r *repo) diffStats(baseSHA, headSHA string) (commits, changed, additions, deletions int) {
	for sha := headSHA; sha != "" && !r.isAncestor(sha, baseSHA); {
		commits++
		c := r.commits[sha]
		if c == nil {
			break
		}
		sha = c.parent
	}
	base, head := r.commits[baseSHA], r.commits[headSHA]
	if base == nil || head == nil {
		return commits, 0, 0, 0
	}
	paths := map[string]bool{}
	for p := range base.files {
		paths[p] = true
	}
	for p := range head.files {
		paths[p] = true
	}
	for p := range paths {
		before, after := base.files[p], head.files[p]
		if before == after {
			continue
		}
		changed++
		count := map[string]int{}
		for _, l := range splitLines(before) {
			count[l]++
		}
		for _, l := range splitLines(after) {
			if count[l] > 0 {
				count[l]--
			} else {
				additions++
			}
		}
		for _, n := range count {
			deletions += n
		}
	}
	return commits, changed, additions, deletions
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.SplitAfter(s, "\n")
}

func (s *Server) refJSON(r *repo, branch string) map[string]any {
	sha := r.refs[branch]
	return map[string]any{
		"ref":     "refs/heads/" + branch,
		"node_id": s.nodeKey("REF", r.owner+"/"+r.name+":"+branch),
		"url":     s.apiURL("repos", r.owner, r.name, "git", "refs", "heads") + "/" + escapePath(branch),
		"object": map[string]any{
			"type": "commit",
			"sha":  sha,
			"url":  s.apiURL("repos", r.owner, r.name, "git", "commits", sha),
		},
	}
}

// wrap64 breaks base64 text into lines of 60 characters, as GitHub sends it.
func wrap64(b64 string) string {
	var sb strings.Builder
	for len(b64) > 60 {
		sb.WriteString(b64[:60])
		sb.WriteByte('\n')
		b64 = b64[60:]
	}
	sb.WriteString(b64)
	sb.WriteByte('\n')
	return sb.String()
}

// fileJSON is a content-file object; withContent adds the base64 content
// and encoding (the contents GET has them, a file-commit's content does not).
func (s *Server) fileJSON(r *repo, ref, p, content string, withContent bool) map[string]any {
	sha := blobSHA(content)
	self := s.apiURL("repos", r.owner, r.name, "contents") + "/" + escapePath(p) + "?ref=" + url.QueryEscape(ref)
	git := s.apiURL("repos", r.owner, r.name, "git", "blobs", sha)
	html := s.webURL(r.owner, r.name, "blob", ref) + "/" + escapePath(p)
	out := map[string]any{
		"type":         "file",
		"name":         p[strings.LastIndex(p, "/")+1:],
		"path":         p,
		"sha":          sha,
		"size":         len(content),
		"url":          self,
		"git_url":      git,
		"html_url":     html,
		"download_url": s.webURL(r.owner, r.name, "raw", ref) + "/" + escapePath(p),
		"_links":       map[string]any{"self": self, "git": git, "html": html},
	}
	if withContent {
		out["content"] = wrap64(base64.StdEncoding.EncodeToString([]byte(content)))
		out["encoding"] = "base64"
	}
	return out
}

func escapePath(p string) string { return escapeSegs(strings.Split(p, "/")) }

// dirJSON lists the directory dir of commit: its files and subdirectories.
func (s *Server) dirJSON(r *repo, ref string, c *commit, dir string) []any {
	prefix := dir + "/"
	files := map[string]string{}
	subdirs := map[string]bool{}
	for p, content := range c.files {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		if name, _, nested := strings.Cut(rest, "/"); nested {
			subdirs[name] = true
		} else {
			files[rest] = content
		}
	}
	names := make([]string, 0, len(files)+len(subdirs))
	for n := range files {
		names = append(names, n)
	}
	for n := range subdirs {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]any, 0, len(names))
	for _, n := range names {
		p := prefix + n
		if content, ok := files[n]; ok {
			out = append(out, s.fileJSON(r, ref, p, content, false))
			continue
		}
		sub := map[string]string{}
		for fp, content := range c.files {
			if strings.HasPrefix(fp, p+"/") {
				sub[fp] = content
			}
		}
		sha := treeSHA(sub)
		self := s.apiURL("repos", r.owner, r.name, "contents") + "/" + escapePath(p) + "?ref=" + url.QueryEscape(ref)
		git := s.apiURL("repos", r.owner, r.name, "git", "trees", sha)
		html := s.webURL(r.owner, r.name, "tree", ref) + "/" + escapePath(p)
		out = append(out, map[string]any{
			"type": "dir", "name": n, "path": p, "sha": sha, "size": 0,
			"url": self, "git_url": git, "html_url": html, "download_url": nil,
			"_links": map[string]any{"self": self, "git": git, "html": html},
		})
	}
	return out
}

func (s *Server) commitJSON(r *repo, c *commit) map[string]any {
	who := map[string]any{"name": c.author, "email": c.author + "@users.noreply.github.com", "date": timestamp(c.date)}
	parents := []any{}
	if c.parent != "" {
		parents = append(parents, map[string]any{
			"sha":      c.parent,
			"url":      s.apiURL("repos", r.owner, r.name, "git", "commits", c.parent),
			"html_url": s.webURL(r.owner, r.name, "commit", c.parent),
		})
	}
	tree := treeSHA(c.files)
	return map[string]any{
		"sha":       c.sha,
		"node_id":   s.nodeKey("C", c.sha),
		"url":       s.apiURL("repos", r.owner, r.name, "git", "commits", c.sha),
		"html_url":  s.webURL(r.owner, r.name, "commit", c.sha),
		"author":    who,
		"committer": who,
		"message":   c.message,
		"tree":      map[string]any{"sha": tree, "url": s.apiURL("repos", r.owner, r.name, "git", "trees", tree)},
		"parents":   parents,
		"verification": map[string]any{
			"verified": false, "reason": "unsigned", "signature": nil, "payload": nil, "verified_at": nil,
		},
	}
}
