package render

import (
	"strings"
	"testing"
)

func TestGraphWarnings(t *testing.T) {
	edges := func(n int) []GraphEdge { return make([]GraphEdge, n) }
	someone := []GraphNode{{}}
	for _, tc := range []struct {
		name   string
		format string
		g      Graph
		size   int
		want   []string // prefixes of the warnings, in order
	}{
		{"a small drawing", "mermaid", Graph{Nodes: someone, Edges: edges(3)}, 400, nil},
		{"nobody to draw", "dot", Graph{}, 20, []string{"nobody to draw"}},
		{"too many edges for Mermaid", "mermaid", Graph{Nodes: someone, Edges: edges(MermaidMaxEdges + 1)}, 100, []string{"501 edges and 100 characters: Mermaid with its default settings draws at most 500 edges and 50000 characters"}},
		{"too much text for Mermaid", "", Graph{Nodes: someone}, MermaidMaxTextSize + 1, []string{"0 edges and 50001 characters: "}},
		{"exactly at the limits", "mermaid", Graph{Nodes: someone, Edges: edges(MermaidMaxEdges)}, MermaidMaxTextSize, nil},
		{"DOT has no such limits", "dot", Graph{Nodes: someone, Edges: edges(5000)}, 10 * MermaidMaxTextSize, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := GraphWarnings(tc.format, tc.g, tc.size)
			if len(got) != len(tc.want) {
				t.Fatalf("warnings %q, want %d starting %q", got, len(tc.want), tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("warning %q, want it to start %q", got[i], tc.want[i])
				}
			}
		})
	}
}
