// consort serve: the consultant's panel of the facilitator page (README "Consultant's session"): the
// options sent with a solve (alternatives, differ, confidence samples, dropped participants) and, next to the
// proposal, its alternatives side by side, fairness, stability, the comparison with the previous proposal,
// confidence marks and each member's "why" on click. app.js calls two hooks: consortAdvice.extend(body)
// before POST /api/solve and consortAdvice.render(proposal, redraw) after drawing the proposal (redraw draws
// it again). Every name and id is set as text (textContent), never as markup.
'use strict';

window.consortAdvice = (function () {
	const state = {
		proposal: null,
		drop: new Set(),	// ids sent as "drop" with the next solve
		openWhy: null,		// the member whose "why" is shown
		redraw: null,		// app.js's renderProposal
	};

	const $ = (sel, root) => (root || document).querySelector(sel);

	function h(tag, props, ...kids) {
		const e = document.createElement(tag);
		if (props) {
			for (const [k, v] of Object.entries(props)) {
				if (v === null || v === undefined || v === false) continue;
				if (k === 'class') e.className = v;
				else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
				else e.setAttribute(k, v === true ? '' : String(v));
			}
		}
		for (const c of kids.flat(Infinity)) {
			if (c === null || c === undefined || c === false) continue;
			e.append(c instanceof Node ? c : String(c));
		}
		return e;
	}

	const round1 = (x) => Math.round(x * 10) / 10;
	function signed(x) {
		const r = round1(x);
		return (r > 0 ? '+' : r < 0 ? '−' : '±') + Math.abs(r).toFixed(1);
	}
	function plain(x) {
		if (typeof x !== 'number') return '–';
		return String(Math.round(x * 100) / 100);
	}
	function pct(x) {
		return Math.round(x * 100) + '%';
	}
	function nameOf(id) {
		const n = state.proposal && state.proposal.names;
		return (n && n[id]) || id;
	}
	// A member as "Name (id)", as text nodes.
	function who(id, cls) {
		return h('span', { class: 'who' + (cls ? ' ' + cls : ''), title: id }, nameOf(id), ' ', h('span', { class: 'mono muted' }, id));
	}
	function place(c) {
		return c === null || c === undefined ? 'outside' : 'consortium ' + c;
	}
	function list(items, sep) {
		const out = [];
		items.forEach((x, i) => {
			if (i) out.push(sep || ', ');
			out.push(x);
		});
		return out;
	}
	function intIn(sel, lo, hi, dflt) {
		const el = $(sel);
		const v = el ? Number(el.value) : NaN;
		return Number.isInteger(v) && v >= lo && v <= hi ? v : dflt;
	}

	// ------------------------------------------------------------ the request
	function extend(body) {
		const alternatives = intIn('#advice-alternatives', 0, 10, 0);
		const differ = intIn('#advice-differ', 1, 1000000, 1);
		const samples = intIn('#advice-confidence', 0, 200, 0);
		body.why = true;
		if (alternatives > 0) {
			body.alternatives = alternatives;
			body.differ = differ;
		}
		if (samples > 0) body.confidence = samples;
		body.drop = Array.from(state.drop);
		// A dropped member cannot stay locked: its locks go with it.
		if (Array.isArray(body.locks)) body.locks = body.locks.filter((l) => !state.drop.has(l.id) && !state.drop.has(l.with));
		return body;
	}

	// ------------------------------------------------------------ rendering
	function render(p, redraw) {
		if (redraw) state.redraw = redraw;
		if (p !== state.proposal) {
			state.proposal = p;
			state.drop = new Set(p && Array.isArray(p.drop) ? p.drop : []);
			if (state.openWhy && !(p && whyOf(state.openWhy))) state.openWhy = null;
		}
		const summary = $('#advice-summary'), alts = $('#advice-alternatives-view'), dropped = $('#advice-dropped');
		if (!summary || !alts || !dropped) return;
		summary.replaceChildren();
		alts.replaceChildren();
		dropped.replaceChildren();
		const solved = p && (p.status === 'optimal' || p.status === 'feasible');
		if (!solved) return;
		summary.append(fairnessCard(p), stabilityCard(p));
		if (p.compare) summary.append(compareCard(p));
		if (p.confidence) summary.append(confidenceCard(p));
		if (Array.isArray(p.alternatives)) alts.append(alternativesView(p));
		const gone = droppedCard(p);
		if (gone) dropped.append(gone);
		decorateMembers(p);
	}

	function card(testid, title, ...body) {
		return h('div', { class: 'card advice-card', 'data-testid': testid }, h('h2', null, title), ...body);
	}

	function fairnessCard(p) {
		const f = p.fairness || {};
		if (f.min_fit === null || f.min_fit === undefined) return card('advice-fairness', 'Fairness', h('p', { class: 'muted' }, 'Nobody is placed.'));
		return card('advice-fairness', 'Fairness',
			h('div', { class: 'facts advice-facts' },
				h('span', { class: 'fact' }, h('span', { class: 'fact-k' }, 'min fit'), ' ', h('b', { 'data-testid': 'fair-min' }, signed(f.min_fit))),
				h('span', { class: 'fact' }, h('span', { class: 'fact-k' }, 'mean'), ' ', h('b', null, signed(f.mean_fit))),
				h('span', { class: 'fact' }, h('span', { class: 'fact-k' }, 'max'), ' ', h('b', null, signed(f.max_fit))),
				h('span', { class: 'fact' }, h('span', { class: 'fact-k' }, 'spread'), ' ', h('b', { 'data-testid': 'fair-spread' }, plain(f.spread)))),
			h('p', { class: 'small' }, 'Weakest: ', list((f.weakest || []).map((id) => who(id))), '.'));
	}

	function stabilityCard(p) {
		const st = p.stability || {};
		if (st.stable) {
			return card('advice-stability', 'Stability', h('p', null, h('span', { class: 'chip chip-ok', 'data-testid': 'stable' }, 'stable'),
				' nobody, alone or in a pair, would gain by moving'));
		}
		const movers = st.movers || [], pairs = st.pairs || [];
		const allowed = movers.filter((m) => m.feasible).length + pairs.filter((x) => x.feasible).length;
		return card('advice-stability', 'Stability',
			h('p', null, h('span', { class: 'chip chip-warn', 'data-testid': 'unstable' }, movers.length + ' would gain by moving'),
				' ', allowed ? allowed + ' of these moves the rules allow' : 'the rules allow none of these moves'),
			h('ul', { class: 'advice-list small' },
				movers.slice(0, 8).map((m) => h('li', { 'data-testid': 'mover-' + m.id }, who(m.id), ': ', place(m.from), ' → ', place(m.to),
					' (fit ', signed(m.fit), ' → ', signed(m.fit_there), ')', m.feasible ? ' — allowed' : ' — not allowed')),
				pairs.slice(0, 4).map((x) => h('li', null, who(x.a), ' and ', who(x.b), x.kind === 'swap' ? ': swap' : ': together to ' + place(x.a_to),
					' (gains ', signed(x.a_gain), ' and ', signed(x.b_gain), ')', x.feasible ? ' — allowed' : ' — not allowed'))));
	}

	function compareCard(p) {
		const c = p.compare;
		const moved = c.moved || [];
		return card('advice-compare', 'Against the previous proposal',
			h('p', null, 'It scored ', h('b', null, plain(c.objective)), ' under these ratings; this one ',
				h('b', { 'data-testid': 'compare-difference', class: c.difference < 0 ? 'neg' : c.difference > 0 ? 'pos' : null }, signed(c.difference))),
			moved.length
				? h('p', { 'data-testid': 'compare-moved' }, moved.length === 1 ? '1 member placed differently: ' : moved.length + ' members placed differently: ',
					list(moved.map((id) => who(id, 'moved'))))
				: h('p', { class: 'muted', 'data-testid': 'compare-moved' }, 'The same consortia.'));
	}

	function confidenceCard(p) {
		const c = p.confidence;
		const inside = (c.pairs || []).filter((x) => sameConsortium(p, x.a, x.b)).sort((a, b) => a.together - b.together);
		const least = inside.length ? inside[0] : null;
		return card('advice-confidence', 'Confidence',
			h('p', null, c.samples + ' samples of perturbed ratings (seed ' + c.seed + '), ' + c.solved + ' solved, ' + c.proved + ' proved optimal.'),
			least ? h('p', { class: 'small' }, 'Least sure pair inside a consortium: ', who(least.a), ' + ', who(least.b), ' (', pct(least.together), ' of samples together).') : null);
	}

	function sameConsortium(p, a, b) {
		return (p.consortia || []).some((c) => c.members.includes(a) && c.members.includes(b));
	}

	// The alternatives' consortia in the order that matches the best's (most shared members first).
	function matched(best, alt) {
		const left = alt.consortia.map((c, i) => i);
		const order = [];
		for (const b of best.consortia) {
			let pick = -1, most = -1;
			for (const i of left) {
				const shared = alt.consortia[i].members.filter((m) => b.members.includes(m)).length;
				if (shared > most) {
					most = shared;
					pick = i;
				}
			}
			if (pick < 0) break;
			order.push(alt.consortia[pick]);
			left.splice(left.indexOf(pick), 1);
		}
		for (const i of left) order.push(alt.consortia[i]);
		return order;
	}

	function column(title, sub, consortia, outside, moved, testid, extra) {
		const mv = new Set(moved || []);
		return h('div', { class: 'card alt-col', 'data-testid': testid },
			h('h3', null, title), sub,
			extra,
			consortia.map((c, i) => h('div', { class: 'alt-consortium' },
				h('div', { class: 'alt-consortium-head' }, 'Consortium ' + (i + 1), c.lot ? ' · lot ' + c.lot : '', h('span', { class: 'muted' }, ' score ' + plain(c.score))),
				h('ul', { class: 'alt-members' }, c.members.map((m) => h('li', { class: mv.has(m) ? 'moved' : null, 'data-member': m }, nameOf(m), ' ', h('span', { class: 'mono muted' }, m)))))),
			outside && outside.length ? h('div', { class: 'alt-consortium' }, h('div', { class: 'alt-consortium-head' }, 'Outside'),
				h('ul', { class: 'alt-members' }, outside.map((m) => h('li', { class: mv.has(m) ? 'moved' : null }, nameOf(m))))) : null);
	}

	function alternativesView(p) {
		const alts = p.alternatives;
		const head = h('div', { class: 'panel-sub' },
			h('h2', null, 'Alternatives'),
			h('p', { class: 'muted small' }, alts.length + ' of ' + p.alternatives_asked + ' asked, each placing at least ' + p.differ +
				(p.differ === 1 ? ' member' : ' members') + ' differently from the best and from every earlier one' +
				(p.alternatives_exhausted ? '; no more exist.' : '.') + ' Highlighted: members placed differently from the best.'));
		const cols = [column('Best', h('p', { class: 'alt-facts' }, 'objective ', h('b', null, plain(p.objective)), ' · ', p.status), p.consortia, p.outside, [], 'alt-best')];
		alts.forEach((a, i) => {
			const cost = h('b', { 'data-testid': 'alt-cost-' + (i + 1) }, plain(a.gap_to_best));
			cols.push(column('Alternative ' + (i + 1),
				h('p', { class: 'alt-facts' }, 'objective ', h('b', { 'data-testid': 'alt-objective-' + (i + 1) }, plain(a.objective)), ' · ', cost, ' below the best · ', a.status),
				matched(p, a), a.outside, a.moved, 'alt-' + (i + 1),
				h('p', { class: 'small', 'data-testid': 'alt-moved-' + (i + 1) }, 'moves: ', list((a.moved || []).map((id) => who(id, 'moved'))))));
		});
		return h('section', { class: 'alternatives', 'data-testid': 'alternatives' }, head, h('div', { class: 'alt-grid' }, cols));
	}

	function droppedCard(p) {
		const ids = Array.from(new Set([...(p.absent || []), ...state.drop]));
		if (!ids.length) return null;
		const fromServer = new Set(p.absent || []);
		return h('div', { class: 'card dropped', 'data-testid': 'dropped' },
			h('h2', null, 'Dropped (solved as if absent)'),
			h('ul', { class: 'inline-list' }, ids.map((id) => {
				const pending = state.drop.has(id) !== fromServer.has(id);
				const canUndo = state.drop.has(id);
				return h('li', { 'data-testid': 'dropped-' + id }, who(id), pending ? h('span', { class: 'muted small' }, state.drop.has(id) ? ' (at the next proposal)' : ' (back at the next proposal)') : null, ' ',
					canUndo ? h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'undrop-' + id, onclick: () => toggleDrop(id) }, 'bring back') : null);
			})),
			h('p', { class: 'muted small' }, 'Press “Propose again” to solve with these changes.'));
	}

	function toggleDrop(id) {
		if (state.drop.has(id)) state.drop.delete(id);
		else state.drop.add(id);
		if (state.redraw) state.redraw();	// app.js draws the rows again, then calls render
		else render(state.proposal);
	}

	// ------------------------------------------------------------ the members' rows
	function whyOf(id) {
		const p = state.proposal;
		return p && Array.isArray(p.why) ? p.why.find((w) => w.id === id) : null;
	}
	function consortiumNumber(id) {
		const p = state.proposal;
		return (p.consortia || []).findIndex((c) => c.members.includes(id)) + 1;
	}

	function decorateMembers(p) {
		const movers = new Map();
		for (const m of (p.stability && p.stability.movers) || []) if (!movers.has(m.id)) movers.set(m.id, m);
		const weakest = new Set((p.fairness && p.fairness.weakest) || []);
		const conf = p.confidence && p.confidence.members;
		for (const tr of document.querySelectorAll('#consortia tr[data-member]')) {
			const id = tr.dataset.member;
			const cells = tr.cells;
			if (!cells.length) continue;
			// The drop control, next to the lock.
			const dropping = state.drop.has(id);
			const tools = h('div', { class: 'row-tools' }, Array.from(cells[0].childNodes));
			cells[0].append(tools);
			tools.append(h('button', { type: 'button', class: 'drop' + (dropping ? ' on' : ''), 'data-testid': 'drop-' + id, 'aria-pressed': dropping ? 'true' : 'false',
				title: dropping ? 'Keep ' + nameOf(id) + ' in the workshop' : 'Drop ' + nameOf(id) + ': propose as if absent',
				'aria-label': (dropping ? 'Keep ' : 'Drop ') + nameOf(id), onclick: () => toggleDrop(id) }, '×'));
			if (dropping) tr.classList.add('dropping');
			// Marks: weakest, would gain by moving, confidence.
			const member = tr.querySelector('td.member');
			if (!member) continue;
			const marks = h('div', { class: 'marks' });
			if (weakest.has(id)) marks.append(h('span', { class: 'mark mark-weak', title: 'the weakest fit of the proposal' }, 'weakest'));
			const mv = movers.get(id);
			if (mv) marks.append(h('span', { class: 'mark mark-move', 'data-testid': 'mark-move-' + id, title: 'its fit would rise from ' + signed(mv.fit) + ' to ' + signed(mv.fit_there) + (mv.feasible ? '; the rules allow the move' : '; the rules do not allow the move') },
				'would gain in ' + place(mv.to)));
			if (conf && typeof conf[id] === 'number') marks.append(h('span', { class: 'mark mark-sure', 'data-testid': 'sure-' + id, title: 'how often it ends up with these consortium mates in the samples' }, 'sure ' + pct(conf[id])));
			if (dropping) marks.append(h('span', { class: 'mark mark-drop' }, 'dropped at the next proposal'));
			if (marks.childNodes.length) member.append(marks);
			if (whyOf(id)) {
				member.classList.add('why-target');
				member.setAttribute('tabindex', '0');
				member.setAttribute('role', 'button');
				member.setAttribute('aria-expanded', state.openWhy === id ? 'true' : 'false');
				member.setAttribute('data-testid', 'why-open-' + id);
				member.title = 'Why is ' + nameOf(id) + ' here?';
				member.addEventListener('click', () => toggleWhy(id));
				member.addEventListener('keydown', (ev) => {
					if (ev.key === 'Enter' || ev.key === ' ') {
						ev.preventDefault();
						toggleWhy(id);
					}
				});
				if (state.openWhy === id) tr.after(whyRow(id, cells.length));
			}
		}
	}

	function toggleWhy(id) {
		state.openWhy = state.openWhy === id ? null : id;
		// Only the rows change: drop the open row and redraw the marks.
		for (const r of document.querySelectorAll('#consortia tr.why-row')) r.remove();
		for (const td of document.querySelectorAll('#consortia td.why-target')) td.setAttribute('aria-expanded', 'false');
		if (!state.openWhy) return;
		const tr = document.querySelector('#consortia tr[data-member="' + CSS.escape(id) + '"]');
		if (!tr) return;
		tr.querySelector('td.member').setAttribute('aria-expanded', 'true');
		tr.after(whyRow(id, tr.cells.length));
	}

	function reasons(list) {
		return list.map((r) => h('span', { class: 'reason' }, who(r.id), ' ', h('b', null, signed(r.weight)),
			h('span', { class: 'muted' }, ' (gave ' + (r.given === null ? '–' : plain(r.given)) + ', got ' + (r.got === null ? '–' : plain(r.got)) + ')')));
	}

	function verdictText(w) {
		const best = w.moves.find((m) => m.to === w.best) || null;
		if (w.verdict === 'blocked' && best) {
			const rules = Array.from(new Set(best.blocked_by.map((b) => b.rule)));
			return 'It would fit better in ' + place(best.to) + ' (' + signed(best.fit) + '), but ' + rules.join(', ') + (rules.length === 1 ? ' holds' : ' hold') + ' it here.';
		}
		if (w.verdict === 'open' && best) return 'It would fit better in ' + place(best.to) + ' (' + signed(best.fit) + ') and the rules allow it: the proposal is not the best for the total.';
		if (best) return 'It fits best where it is; its best other place, ' + place(best.to) + ', would cost the total ' + plain(-best.change) + '.';
		return 'It fits best where it is.';
	}

	function whyRow(id, span) {
		const w = whyOf(id);
		const home = consortiumNumber(id);
		const moves = h('table', { class: 'data compact why-moves' },
			h('thead', null, h('tr', null, h('th', null, 'Moving alone to'), h('th', { class: 'num' }, 'Its fit'), h('th', { class: 'num' }, 'Total'), h('th', null, 'Rules'))),
			h('tbody', null,
				h('tr', { class: 'home' }, h('td', null, place(home || null), ' (here)'), h('td', { class: 'num' }, signed(w.fit)), h('td', { class: 'num' }, '±0.0'), h('td', null, '')),
				w.moves.map((m) => h('tr', { 'data-testid': 'why-move-' + id + '-' + (m.to === null ? 'outside' : m.to) },
					h('td', null, place(m.to)), h('td', { class: 'num' }, signed(m.fit)), h('td', { class: 'num' }, signed(m.change)),
					h('td', { class: m.feasible ? 'ok' : 'blocked' }, m.feasible ? 'allowed' : list(m.blocked_by.map((b) => h('span', { title: b.detail }, h('b', null, b.rule), ' (' + b.detail + ')')), '; '))))));
		return h('tr', { class: 'why-row', 'data-testid': 'why-' + id },
			h('td', { colspan: String(span) },
				h('div', { class: 'why' },
					h('div', { class: 'why-head' }, h('b', null, 'Why ', nameOf(id), ' is here'), ' — ', place(home || null), ', fit ', h('b', null, signed(w.fit))),
					w.pull.length ? h('p', null, h('span', { class: 'fact-k' }, 'pulled in by '), reasons(w.pull)) : null,
					w.push.length ? h('p', null, h('span', { class: 'fact-k' }, 'pushed out by '), reasons(w.push)) : null,
					moves,
					h('p', { class: 'why-verdict verdict-' + w.verdict, 'data-testid': 'why-verdict-' + id }, verdictText(w)))));
	}

	return { extend, render };
})();
