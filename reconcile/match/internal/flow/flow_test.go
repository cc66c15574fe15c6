package flow

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKnownOptima solves small networks whose answer is worked out by hand.
func TestKnownOptima(t *testing.T) {
	type edge struct {
		u, v      int
		cap, cost int64
	}
	for _, tc := range []struct {
		name       string
		nodes      int
		edges      []edge
		flow, cost int64
		// want is the flow on each edge, when the optimum is unique.
		want []int64
	}{
		{
			// Two units; the cheap edge a→x is shared, so a must take the
			// dearer a→y once b's only edge, b→x, is used.
			name:  "shared cheap edge",
			nodes: 6, // s=0 t=1 a=2 b=3 x=4 y=5
			edges: []edge{{0, 2, 1, 0}, {0, 3, 1, 0}, {2, 4, 1, 1}, {2, 5, 1, 5}, {3, 4, 1, 2}, {4, 1, 1, 0}, {5, 1, 1, 0}},
			flow:  2, cost: 7,
			want: []int64{1, 1, 0, 1, 1, 1, 1},
		},
		{
			// The 3×3 assignment problem with costs
			//   4 1 3
			//   2 0 5
			//   3 2 2
			// whose optimum is 1+2+2 = 5 (rows 0→1, 1→0, 2→2).
			name:  "assignment 3x3",
			nodes: 8, // s=0 t=1 rows 2..4 columns 5..7
			edges: []edge{
				{0, 2, 1, 0}, {0, 3, 1, 0}, {0, 4, 1, 0},
				{2, 5, 1, 4}, {2, 6, 1, 1}, {2, 7, 1, 3},
				{3, 5, 1, 2}, {3, 6, 1, 0}, {3, 7, 1, 5},
				{4, 5, 1, 3}, {4, 6, 1, 2}, {4, 7, 1, 2},
				{5, 1, 1, 0}, {6, 1, 1, 0}, {7, 1, 1, 0},
			},
			flow: 3, cost: 5,
			want: []int64{1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1},
		},
		{
			// More flow beats less cost: the single cheapest path s→a→t
			// carries 1, but 3 units fit when the dearer paths are used.
			name:  "maximum first",
			nodes: 4, // s=0 t=1 a=2 b=3
			edges: []edge{{0, 2, 1, 1}, {2, 1, 5, 1}, {0, 3, 2, 10}, {3, 1, 2, 10}},
			flow:  3, cost: 2 + 40,
		},
		{
			// Convex slot costs: one node, three slots of rising cost, and
			// two units to place.
			name:  "convex slots",
			nodes: 3, // s=0 t=1 x=2
			edges: []edge{{0, 2, 2, 0}, {2, 1, 1, 0}, {2, 1, 1, 4}, {2, 1, 1, 8}},
			flow:  2, cost: 4,
			want: []int64{2, 1, 1, 0},
		},
		{
			// Parallel edges of different cost and a capacity above one.
			name:  "parallel edges",
			nodes: 2,
			edges: []edge{{0, 1, 3, 7}, {0, 1, 2, 1}},
			flow:  5, cost: 21 + 2,
			want: []int64{3, 2},
		},
		{
			// The sink cannot be reached: nothing flows, nothing costs.
			name:  "unreachable sink",
			nodes: 4,
			edges: []edge{{0, 2, 1, 1}, {3, 1, 1, 1}},
			flow:  0, cost: 0,
			want: []int64{0, 0},
		},
		{
			// Every path crosses an edge of capacity zero.
			name:  "zero capacity",
			nodes: 3,
			edges: []edge{{0, 2, 4, 1}, {2, 1, 0, 1}},
			flow:  0, cost: 0,
			want: []int64{0, 0},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := New(tc.nodes)
			var ids []int
			for _, e := range tc.edges {
				ids = append(ids, g.AddEdge(e.u, e.v, e.cap, e.cost))
			}
			flow, cost, _ := g.MinCostMaxFlow(0, 1)
			if flow != tc.flow || cost != tc.cost {
				t.Fatalf("flow %d at cost %d, want %d at %d", flow, cost, tc.flow, tc.cost)
			}
			if tc.want != nil {
				var got []int64
				for _, id := range ids {
					got = append(got, g.Flow(id))
				}
				if !slices.Equal(got, tc.want) {
					t.Fatalf("edge flows %v, want %v", got, tc.want)
				}
			}
			if g.Edges() != len(tc.edges) || g.Nodes() != tc.nodes {
				t.Fatalf("%d nodes and %d edges, want %d and %d", g.Nodes(), g.Edges(), tc.nodes, len(tc.edges))
			}
		})
	}
}

// TestSourceIsSink sends nothing rather than looping forever.
func TestSourceIsSink(t *testing.T) {
	g := New(2)
	g.AddEdge(0, 1, 1, 1)
	if flow, cost, phases := g.MinCostMaxFlow(0, 0); flow != 0 || cost != 0 || phases != 0 {
		t.Fatalf("flow %d cost %d phases %d from a node to itself, want nothing", flow, cost, phases)
	}
}

// TestNegativeCostPanics: the solver's potentials rely on costs that are
// not negative, so such an edge is refused when it is added.
func TestNegativeCostPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("an edge of cost -1 was accepted")
		}
	}()
	New(2).AddEdge(0, 1, 1, -1)
}

// TestAssignmentAgainstBruteForce draws small assignment problems of the
// matcher's shape (people with one unit each, candidates with slots of
// rising cost) and compares the solver with every assignment: the same
// number matched and the same least cost.
func TestAssignmentAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 6))
	for round := range 2000 {
		nl, nr := 1+r.IntN(5), 1+r.IntN(4)
		room := make([]int, nr)
		slot := make([][]int64, nr) // candidate → cost of its j-th slot
		for j := range room {
			room[j] = r.IntN(3)
			var c int64
			for range room[j] {
				c += int64(r.IntN(4))
				slot[j] = append(slot[j], c) // rising: convex
			}
		}
		cost := make([][]int64, nl) // -1: no edge
		for i := range cost {
			cost[i] = make([]int64, nr)
			for j := range cost[i] {
				cost[i][j] = -1
				if r.IntN(3) > 0 {
					cost[i][j] = int64(r.IntN(10))
				}
			}
		}
		// The solver: s=0, t=1, people 2.., candidates after them.
		g := New(2 + nl + nr)
		for i := range nl {
			g.AddEdge(0, 2+i, 1, 0)
			for j := range nr {
				if cost[i][j] >= 0 {
					g.AddEdge(2+i, 2+nl+j, 1, cost[i][j])
				}
			}
		}
		for j := range nr {
			for _, c := range slot[j] {
				g.AddEdge(2+nl+j, 1, 1, c)
			}
		}
		flow, total, _ := g.MinCostMaxFlow(0, 1)

		// Every assignment, person by person.
		bestN, bestCost := -1, int64(0)
		given := make([]int, nr)
		var rec func(i, n int, c int64)
		rec = func(i, n int, c int64) {
			if i == nl {
				all := c
				for j, x := range given {
					for k := range x {
						all += slot[j][k]
					}
				}
				if n > bestN || n == bestN && all < bestCost {
					bestN, bestCost = n, all
				}
				return
			}
			rec(i+1, n, c)
			for j := range nr {
				if cost[i][j] >= 0 && given[j] < room[j] {
					given[j]++
					rec(i+1, n+1, c+cost[i][j])
					given[j]--
				}
			}
		}
		rec(0, 0, 0)
		if int(flow) != bestN || total != bestCost {
			t.Fatalf("round %d: solver %d at cost %d, brute force %d at %d\ncosts %v\nslots %v", round, flow, total, bestN, bestCost, cost, slot)
		}
	}
}

// TestRandomNetworksAreOptimal checks the solver on random general networks
// by the optimality conditions themselves, independently of how the flow
// was found: capacities and conservation hold, the residual network has no
// path from s to t (the flow is maximum) and no cycle of negative cost (no
// flow of the same value costs less).
func TestRandomNetworksAreOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 17))
	for round := range 500 {
		n := 2 + r.IntN(7)
		g := New(n)
		type edge struct {
			u, v      int
			cap, cost int64
			id        int
		}
		var edges []edge
		for range r.IntN(3 * n) {
			u, v := r.IntN(n), r.IntN(n)
			if u == v {
				continue
			}
			e := edge{u: u, v: v, cap: int64(r.IntN(4)), cost: int64(r.IntN(6))}
			e.id = g.AddEdge(u, v, e.cap, e.cost)
			edges = append(edges, e)
		}
		flow, cost, _ := g.MinCostMaxFlow(0, 1)
		desc := fmt.Sprintf("round %d: %d nodes, edges %v", round, n, edges)

		net := make([]int64, n) // inflow minus outflow
		var sum int64
		for _, e := range edges {
			f := g.Flow(e.id)
			if f < 0 || f > e.cap {
				t.Fatalf("%s: edge %d→%d carries %d of %d", desc, e.u, e.v, f, e.cap)
			}
			net[e.v] += f
			net[e.u] -= f
			sum += f * e.cost
		}
		if sum != cost {
			t.Fatalf("%s: edge flows cost %d, solver says %d", desc, sum, cost)
		}
		for v := range n {
			want := int64(0)
			switch v {
			case 0:
				want = -flow
			case 1:
				want = flow
			}
			if net[v] != want {
				t.Fatalf("%s: node %d has net inflow %d, want %d", desc, v, net[v], want)
			}
		}

		// The residual network, from the edges alone.
		type arc struct {
			u, v int
			cost int64
		}
		var res []arc
		for _, e := range edges {
			f := g.Flow(e.id)
			if f < e.cap {
				res = append(res, arc{e.u, e.v, e.cost})
			}
			if f > 0 {
				res = append(res, arc{e.v, e.u, -e.cost})
			}
		}
		seen := make([]bool, n)
		seen[0] = true
		for changed := true; changed; {
			changed = false
			for _, a := range res {
				if seen[a.u] && !seen[a.v] {
					seen[a.v], changed = true, true
				}
			}
		}
		if seen[1] {
			t.Fatalf("%s: the residual network still has a path from s to t: flow %d is not maximum", desc, flow)
		}
		// Bellman-Ford from a virtual node joined to every node: a
		// relaxation in the n-th pass means a negative cycle.
		dist := make([]int64, n)
		for pass := 0; pass <= n; pass++ {
			relaxed := false
			for _, a := range res {
				if dist[a.u]+a.cost < dist[a.v] {
					dist[a.v] = dist[a.u] + a.cost
					relaxed = true
				}
			}
			if !relaxed {
				break
			}
			if pass == n {
				t.Fatalf("%s: the residual network has a negative cycle: cost %d is not least", desc, cost)
			}
		}
	}
}

// TestDeterministic solves one network twice: the same flow on every edge.
func TestDeterministic(t *testing.T) {
	build := func() (*Network, []int) {
		r := rand.New(rand.NewPCG(3, 3))
		g := New(12)
		var ids []int
		for range 60 {
			u, v := r.IntN(12), r.IntN(12)
			if u != v {
				ids = append(ids, g.AddEdge(u, v, int64(1+r.IntN(3)), int64(r.IntN(3))))
			}
		}
		return g, ids
	}
	flows := func() []int64 {
		g, ids := build()
		g.MinCostMaxFlow(0, 1)
		var out []int64
		for _, id := range ids {
			out = append(out, g.Flow(id))
		}
		return out
	}
	if a, b := flows(), flows(); !slices.Equal(a, b) {
		t.Fatalf("two runs differ:\n%v\n%v", a, b)
	}
}
