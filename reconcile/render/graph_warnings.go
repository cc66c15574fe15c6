package render

import "fmt"

// Mermaid's default maxEdges and maxTextSize: above them, a renderer with
// default settings shows an error instead of the diagram.
const (
	MermaidMaxEdges    = 500
	MermaidMaxTextSize = 50000
)

// GraphWarnings say why the drawing of g, written in format as size
// bytes, may show less than the user hoped: nobody to draw, or more than
// Mermaid draws with its default settings. None when it will show.
func GraphWarnings(format string, g Graph, size int) []string {
	var out []string
	if len(g.Nodes) == 0 {
		out = append(out, "nobody to draw")
	}
	if (format == "mermaid" || format == "") && (len(g.Edges) > MermaidMaxEdges || size > MermaidMaxTextSize) {
		out = append(out, fmt.Sprintf("%d edges and %d characters: Mermaid with its default settings draws at most %d edges and %d characters; draw a --team or the people around a --person instead",
			len(g.Edges), size, MermaidMaxEdges, MermaidMaxTextSize))
	}
	return out
}
