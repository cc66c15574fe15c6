// Package flow solves min-cost max-flow problems on networks with integer
// capacities and non-negative integer costs: the matcher's global
// assignment of coaches and mentors is one.
package flow

import "math"

// Network is a flow network for min-cost max-flow with integer capacities
// and non-negative integer costs. Edges are stored in pairs: edge e and its
// residual twin e^1.
//
// The solver is the primal-dual method (successive shortest paths with
// Johnson potentials): each phase runs Dijkstra on reduced costs from the
// source, which is valid because reduced costs stay non-negative, then
// pushes a blocking flow (Dinic) through the subgraph of edges whose reduced
// cost is zero, i.e. along every shortest augmenting path at once. Each phase
// raises the length of the shortest augmenting path, so the number of phases
// is at most the number of distinct path lengths, which for orgctl's small
// integer costs is small. The result is a maximum flow of minimum cost.
// Everything runs in the order edges were added, so equal inputs give equal
// flows.
type Network struct {
	nodes int
	to    []int32 // head of each edge; the tail of e is to[e^1]
	cap   []int64 // residual capacity
	cost  []int64
	// first and list are the edges leaving each node, in insertion order:
	// node u's are list[first[u]:first[u+1]]. They are built once, when
	// the flow is solved, rather than grown per node as edges are added.
	first, list []int32
}

// New returns a network of nodes nodes, numbered from 0, and no edges.
func New(nodes int) *Network {
	return &Network{nodes: nodes}
}

// Reserve makes room for edges more edges, so
// that adding them does not grow the arrays step by step. It is only a
// hint: the network grows past it as needed.
func (g *Network) Reserve(edges int) {
	if free := cap(g.to) - len(g.to); free < 2*edges {
		grow := func(a []int64) []int64 { return append(make([]int64, 0, len(a)+2*edges), a...) }
		g.to = append(make([]int32, 0, len(g.to)+2*edges), g.to...)
		g.cap, g.cost = grow(g.cap), grow(g.cost)
	}
}

// AddNode adds a node and returns its index.
func (g *Network) AddNode() int {
	g.nodes++
	return g.nodes - 1
}

// AddEdge adds an edge u→v with the given capacity and cost per unit and
// returns its index; Flow reads its flow. A negative cost panics: it is a
// programming error, and the solver relies on costs being non-negative.
func (g *Network) AddEdge(u, v int, capacity, cost int64) int {
	if cost < 0 {
		panic("flow: negative cost")
	}
	if u < 0 || v < 0 || u >= g.nodes || v >= g.nodes {
		panic("flow: edge to a node that was not added")
	}
	e := len(g.to)
	g.to = append(g.to, int32(v), int32(u))
	g.cap = append(g.cap, capacity, 0)
	g.cost = append(g.cost, cost, -cost)
	return e
}

// Flow returns the flow on edge e (the residual capacity of its twin).
func (g *Network) Flow(e int) int64 { return g.cap[e^1] }

// Nodes is the number of nodes of the network.
func (g *Network) Nodes() int { return g.nodes }

// Edges is the number of edges added (residual twins not counted).
func (g *Network) Edges() int { return len(g.to) / 2 }

// index lists each node's edges (and residual twins) in the order they
// were added: a stable counting sort of the edges by tail.
func (g *Network) index() {
	first := make([]int32, g.nodes+1)
	for e := range g.to {
		first[g.to[e^1]+1]++
	}
	for u := range g.nodes {
		first[u+1] += first[u]
	}
	list := make([]int32, len(g.to))
	next := append([]int32(nil), first[:g.nodes]...)
	for e := range g.to {
		u := g.to[e^1]
		list[next[u]] = int32(e)
		next[u]++
	}
	g.first, g.list = first, list
}

// out is the list of edges leaving u.
func (g *Network) out(u int) []int32 { return g.list[g.first[u]:g.first[u+1]] }

// MinCostMaxFlow sends as much flow as possible from s to t at the least
// total cost and returns the flow, its cost and the number of phases. When
// t cannot be reached from s, or s is t, the flow is 0. It may be called
// once per network: the flow found stays on the edges.
func (g *Network) MinCostMaxFlow(s, t int) (flow, cost int64, phases int) {
	if s == t {
		return 0, 0, 0
	}
	g.index()
	n := g.nodes
	pot := make([]int64, n)  // potentials: reduced cost c(u,v)+pot[u]-pot[v] >= 0
	dist := make([]int64, n) // Dijkstra distances on reduced costs
	done := make([]bool, n)
	level := make([]int32, n)
	iter := make([]int, n)
	queue := make([]int32, 0, n)
	var h distHeap
	const inf = math.MaxInt64 / 4

	reduced := func(e int32, u int) int64 { return g.cost[e] + pot[u] - pot[g.to[e]] }

	for {
		// Dijkstra from s on reduced costs, stopping once t is settled.
		for i := range dist {
			dist[i], done[i] = inf, false
		}
		dist[s] = 0
		h = h[:0]
		h.push(0, int32(s))
		for len(h) > 0 {
			d, u := h.pop()
			if done[u] || d > dist[u] {
				continue
			}
			done[u] = true
			if int(u) == t {
				break
			}
			for _, e := range g.out(int(u)) {
				if g.cap[e] == 0 {
					continue
				}
				v := g.to[e]
				if nd := d + reduced(e, int(u)); nd < dist[v] {
					dist[v] = nd
					h.push(nd, v)
				}
			}
		}
		if !done[t] {
			return flow, cost, phases
		}
		phases++
		// Raise potentials by min(dist, dist[t]): reduced costs stay
		// non-negative and every shortest s-t path becomes zero-cost.
		dt := dist[t]
		for v := range pot {
			pot[v] += min(dist[v], dt)
		}
		// Blocking flows (Dinic) on the zero-reduced-cost subgraph.
		for {
			for i := range level {
				level[i] = -1
			}
			level[s] = 0
			queue = append(queue[:0], int32(s))
			for qi := 0; qi < len(queue); qi++ {
				u := int(queue[qi])
				for _, e := range g.out(u) {
					v := g.to[e]
					if g.cap[e] > 0 && level[v] < 0 && reduced(e, u) == 0 {
						level[v] = level[u] + 1
						queue = append(queue, v)
					}
				}
			}
			if level[t] < 0 {
				break
			}
			for i := range iter {
				iter[i] = 0
			}
			var push func(u int, limit int64) int64
			push = func(u int, limit int64) int64 {
				if u == t {
					return limit
				}
				edges := g.out(u)
				for ; iter[u] < len(edges); iter[u]++ {
					e := edges[iter[u]]
					v := int(g.to[e])
					if g.cap[e] == 0 || level[v] != level[u]+1 || reduced(e, u) != 0 {
						continue
					}
					if got := push(v, min(limit, g.cap[e])); got > 0 {
						g.cap[e] -= got
						g.cap[e^1] += got
						cost += got * g.cost[e]
						return got
					}
				}
				return 0
			}
			for {
				f := push(s, inf)
				if f == 0 {
					break
				}
				flow += f
			}
		}
	}
}

// distHeap is a binary min-heap of (distance, node), ties broken by node
// index so that the search order never depends on anything but the input.
type distHeap []heapItem

type heapItem struct {
	d int64
	v int32
}

func (h heapItem) less(o heapItem) bool { return h.d < o.d || h.d == o.d && h.v < o.v }

func (h *distHeap) push(d int64, v int32) {
	*h = append(*h, heapItem{d, v})
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a[i].less(a[p]) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *distHeap) pop() (int64, int32) {
	a := *h
	top := a[0]
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(a) && a[l].less(a[m]) {
			m = l
		}
		if r < len(a) && a[r].less(a[m]) {
			m = r
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return top.d, top.v
}
