package githubfake

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

// This file serves the one GraphQL query orgctl sends: { viewer { login } },
// which names the token's account, a bot ("my-app[bot]") for an app
// installation token too, where REST's GET /user is refused. GraphQL is not
// in GitHub's OpenAPI description, so it sits beside the route table: the
// endpoint is /graphql (GitHub Enterprise: /api/graphql, beside /api/v3).

// WithoutGraphQL makes the GraphQL endpoint answer 404, as a proxy that
// passes only the REST API would: the client must cope without it.
func WithoutGraphQL() Option { return func(s *Server) { s.noGraphQL = true } }

// DisableGraphQL makes the GraphQL endpoint answer 404 from now on (see
// WithoutGraphQL).
func (s *Server) DisableGraphQL() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noGraphQL = true
}

// graphQLPath is where the fake serves GraphQL.
func (s *Server) graphQLPath() string {
	if s.prefix != "" {
		return "/api/graphql"
	}
	return "/graphql"
}

var viewerLoginQuery = regexp.MustCompile(`^\s*(query\s*(\w+\s*)?)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$`)

// serveGraphQL answers a POST to the GraphQL endpoint. It holds s.mu.
func (s *Server) serveGraphQL(r *http.Request, body []byte) *response {
	if s.noGraphQL {
		return errorResponse(http.StatusNotFound, "Not Found", docsRoot)
	}
	if r.Method != http.MethodPost {
		s.t.Errorf("githubfake: %s %s: GraphQL takes POST", r.Method, r.URL.Path)
		return errorResponse(http.StatusNotFound, "Not Found", docsRoot)
	}
	actor, resp := s.gate(r, nil, faultSet{})
	if resp != nil {
		return resp
	}
	if len(s.tokens) == 0 && r.Header.Get("Authorization") == "" {
		return errorResponse(http.StatusUnauthorized, "This endpoint requires you to be authenticated.",
			"https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql")
	}
	var q struct {
		Query string `json:"query"`
	}
	if err := json.Unmarshal(body, &q); err != nil || strings.TrimSpace(q.Query) == "" {
		return jsonResponse(http.StatusOK, map[string]any{"errors": []any{map[string]any{"message": "A query attribute must be specified and must be a string."}}})
	}
	if !viewerLoginQuery.MatchString(q.Query) {
		s.t.Errorf("githubfake: GraphQL query %q: only { viewer { login } } is modelled", q.Query)
		return jsonResponse(http.StatusOK, map[string]any{"errors": []any{map[string]any{"message": "githubfake: only { viewer { login } } is modelled"}}})
	}
	return jsonResponse(http.StatusOK, map[string]any{"data": map[string]any{"viewer": map[string]any{"login": actor.login}}})
}
