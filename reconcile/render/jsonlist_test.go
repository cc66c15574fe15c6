package render

import (
	"bytes"
	"testing"
)

// WriteJSONList must write what WriteJSON writes for the one-field struct
// (the output of get -o json is an interface), including HTML characters
// left unescaped and an empty list.
func TestWriteJSONListMatchesWriteJSON(t *testing.T) {
	type item struct {
		Name   string            `json:"name"`
		Labels map[string]string `json:"labels"`
		Chain  []string          `json:"chain"`
		N      int               `json:"n,omitempty"`
	}
	for _, items := range [][]item{
		nil,
		{{Name: "a<b>&c", Labels: map[string]string{"x": "y", "a": "b"}, Chain: []string{"m", "n"}}},
		{{Name: "one"}, {Name: "two", N: 2, Chain: []string{}}, {Name: "three", Labels: map[string]string{}}},
	} {
		var want, got bytes.Buffer
		if err := WriteJSON(&want, struct {
			People []item `json:"people"`
		}{People: append([]item{}, items...)}); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSONList(&got, "people", len(items), func(i int) any { return items[i] }); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("WriteJSONList wrote\n%s\nWriteJSON writes\n%s", got.String(), want.String())
		}
	}
}
