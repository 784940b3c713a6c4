// consort serve: a participant's phone page. Reads the token from /p/<token>, shows the current round,
// whom they meet next, their itinerary, and lets them rate the people they have met (their own scores only).
'use strict';

(function () {
	const POLL_MS = 5000;
	const m = /^\/p\/([^/?#]+)/.exec(location.pathname);
	const token = m ? decodeURIComponent(m[1]) : '';
	const state = {
		me: null,
		scores: new Map(),	// to -> score (saved on the server)
		pending: new Map(),	// to -> {want, inflight, failed, error}
		items: new Map(),	// to -> {li, buttons: Map score -> button, status}
	};

	const $ = (sel) => document.querySelector(sel);

	function h(tag, props, ...kids) {
		const e = document.createElement(tag);
		if (props) {
			for (const [k, v] of Object.entries(props)) {
				if (v === null || v === undefined || v === false) continue;
				if (k === 'class') e.className = v;
				else if (k === 'text') e.textContent = v;
				else e.setAttribute(k, v === true ? '' : String(v));
			}
		}
		for (const c of kids.flat()) {
			if (c === null || c === undefined || c === false) continue;
			e.append(c instanceof Node ? c : String(c));
		}
		return e;
	}

	class ApiError extends Error {
		constructor(status, message) {
			super(message);
			this.status = status;
		}
	}

	async function api(method, path, body) {
		const init = { method, headers: { Authorization: 'Bearer ' + token } };
		if (body !== undefined) {
			init.headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		let res;
		try {
			res = await fetch(path, init);
		} catch (e) {
			throw new ApiError(0, 'No connection to the session. Check the network and try again.');
		}
		const text = await res.text();
		let data = null;
		try {
			data = text ? JSON.parse(text) : null;
		} catch (e) {
			data = null;
		}
		if (!res.ok) {
			throw new ApiError(res.status, data && data.error ? data.error : 'Error ' + res.status);
		}
		return data;
	}

	function showError(msg) {
		const e = $('#p-error');
		e.textContent = msg;
		e.hidden = !msg;
	}

	function fmt(x) {
		return String(Math.round(x * 100) / 100);
	}

	function scaleValues() {
		const { min, max } = state.me.scale || { min: 1, max: 5 };
		const out = [];
		for (let s = Math.ceil(min); s <= Math.floor(max) && out.length < 21; s++) out.push(s);
		return out;
	}

	function people() {
		// Names of the people this participant meets, from the itinerary (and "met" if it carries names).
		const map = new Map();
		for (const mt of state.me.meetings || []) if (mt.with) map.set(mt.with.id, mt.with);
		for (const x of state.me.met || []) if (x && typeof x === 'object' && x.id) map.set(x.id, x);
		return map;
	}

	function metIds() {
		return (state.me.met || []).map((x) => (typeof x === 'object' && x ? x.id : x));
	}

	function render() {
		const me = state.me;
		document.title = me.name + ' — consort';
		$('#me-name').textContent = me.name;
		$('#me-sector').textContent = me.sector || '';
		$('#me-round').textContent = me.round ? String(me.round) : 'not started';
		const { min, max } = me.scale || { min: 1, max: 5 };
		$('#scale-hint').textContent = min + ' = not at all, ' + max + ' = very well.';

		const meetings = (me.meetings || []).slice().sort((a, b) => a.round - b.round);
		const now = me.round ? meetings.find((x) => x.round === me.round) : null;
		const next = meetings.find((x) => x.round > (me.round || 0));
		const box = $('#next-meeting');
		box.replaceChildren();
		if (now) {
			box.append(h('div', { class: 'p-meet p-meet-now', 'data-testid': 'meet-now' },
				h('div', { class: 'p-label' }, 'Now'),
				h('div', { class: 'p-table' }, 'Table ' + now.table),
				h('div', { class: 'p-with' }, now.with.name),
				h('div', { class: 'p-with-sector' }, now.with.sector || '')));
		} else if (me.round) {
			box.append(h('div', { class: 'p-meet p-rest', 'data-testid': 'meet-now' }, h('div', { class: 'p-label' }, 'Now'), h('div', { class: 'p-with' }, 'You rest this round')));
		}
		if (next) {
			box.append(h('div', { class: 'p-meet', 'data-testid': 'meet-next' },
				h('div', { class: 'p-label' }, me.round ? 'Next · round ' + next.round : 'First · round ' + next.round),
				h('div', { class: 'p-table' }, 'Table ' + next.table),
				h('div', { class: 'p-with' }, next.with.name),
				h('div', { class: 'p-with-sector' }, next.with.sector || '')));
		} else if (me.round && meetings.length) {
			box.append(h('div', { class: 'p-meet p-rest', 'data-testid': 'meet-next' }, h('div', { class: 'p-with' }, 'No more meetings. Thank you!')));
		} else if (!meetings.length) {
			box.append(h('div', { class: 'p-meet p-rest', 'data-testid': 'meet-next' }, h('div', { class: 'p-with' }, 'The schedule is not set yet.')));
		}

		const it = $('#itinerary');
		it.replaceChildren(...meetings.map((x) => h('li', {
			class: x.round === me.round ? 'current' : (me.round && x.round < me.round ? 'past' : null),
			'data-testid': 'itinerary-' + x.round,
		}, h('div', { class: 'it-when' }, 'Round ' + x.round + ' · Table ' + x.table), h('div', { class: 'it-with' }, x.with.name))));
		if (!meetings.length) it.append(h('li', { class: 'muted' }, 'No meetings scheduled yet.'));

		renderRatings();
		tick();
	}

	function renderRatings() {
		const list = $('#rate-list');
		const who = people();
		const roundOf = new Map((state.me.meetings || []).map((x) => [x.with.id, x]));
		// Latest meeting first: the one to rate right now is on top.
		const ids = metIds().slice().sort((a, b) => ((roundOf.get(b) || {}).round || 0) - ((roundOf.get(a) || {}).round || 0));
		const keep = new Set(ids);
		for (const [id, item] of state.items) {
			if (!keep.has(id)) {
				item.li.remove();
				state.items.delete(id);
			}
		}
		ids.forEach((id, i) => {
			let item = state.items.get(id);
			if (!item) item = makeItem(id, who.get(id) || { id, name: id }, roundOf.get(id));
			if (list.children[i] !== item.li) list.insertBefore(item.li, list.children[i] || null);
			paint(id);
		});
		let empty = $('#rate-empty');
		if (!ids.length && !empty) {
			empty = h('li', { id: 'rate-empty', class: 'muted' }, 'After your first meeting you can rate it here.');
			list.append(empty);
		} else if (ids.length && empty) {
			empty.remove();
		}
	}

	function makeItem(id, person, meeting) {
		const buttons = new Map();
		const row = h('div', { class: 'score-row', role: 'group', 'aria-label': 'Score for ' + person.name });
		for (const s of scaleValues()) {
			const b = h('button', { type: 'button', class: 'score', 'data-testid': 'rate-' + id + '-' + s, 'aria-pressed': 'false' }, String(s));
			b.addEventListener('click', () => save(id, s));
			buttons.set(s, b);
			row.append(b);
		}
		const status = h('span', { class: 'rate-status', 'data-testid': 'rate-status-' + id, 'aria-live': 'polite' });
		const li = h('li', { class: 'rate-item', 'data-testid': 'rate-' + id },
			h('div', { class: 'rate-name' }, person.name),
			h('div', { class: 'rate-head' },
				h('div', { class: 'rate-meta' }, [person.sector, meeting ? 'round ' + meeting.round + ', table ' + meeting.table : null].filter(Boolean).join(' · ')),
				status),
			row);
		const item = { li, buttons, status };
		state.items.set(id, item);
		return item;
	}

	function paint(id) {
		const item = state.items.get(id);
		if (!item) return;
		const p = state.pending.get(id);
		const score = p ? p.want : state.scores.get(id);
		for (const [s, b] of item.buttons) {
			const on = score !== undefined && score !== null && Math.round(score) === s;
			b.setAttribute('aria-pressed', on ? 'true' : 'false');
			b.classList.toggle('on', on);
		}
		let text = '', cls = 'rate-status';
		if (p && p.failed) {
			text = 'Not saved: ' + p.error;
			cls += ' failed';
		} else if (p) {
			text = 'Saving…';
			cls += ' saving';
		} else if (score !== undefined && score !== null) {
			text = '✓ Saved' + (Number.isInteger(score) ? '' : ' (' + fmt(score) + ')');
			cls += ' saved';
		} else {
			text = 'Not rated yet';
		}
		item.status.textContent = text;
		item.status.className = cls;
		item.li.dataset.state = p ? (p.failed ? 'failed' : 'saving') : (score !== undefined ? 'saved' : '');
		item.li.dataset.score = score !== undefined && score !== null ? String(score) : '';
	}

	function save(id, score) {
		let p = state.pending.get(id);
		if (!p) {
			p = { want: score, inflight: false, failed: false, error: '' };
			state.pending.set(id, p);
		}
		p.want = score;
		p.failed = false;
		paint(id);
		if (!p.inflight) flush(id);
	}

	async function flush(id) {
		const p = state.pending.get(id);
		const score = p.want;
		p.inflight = true;
		try {
			await api('PUT', '/api/me/ratings', { to: id, score });
			state.scores.set(id, score);
			if (p.want !== score) {
				flush(id);
				return;
			}
			state.pending.delete(id);
			showError('');
		} catch (e) {
			p.inflight = false;
			p.failed = true;
			p.error = e.message + ' — tap again';
		}
		paint(id);
	}

	async function load(first) {
		try {
			const [me, mine] = await Promise.all([api('GET', '/api/me'), api('GET', '/api/me/ratings')]);
			state.me = me;
			for (const r of mine || []) if (!state.pending.has(r.to)) state.scores.set(r.to, r.score);
			$('#p-main').hidden = false;
			showError('');
			render();
		} catch (e) {
			if (e.status === 401 || e.status === 403 || e.status === 404) {
				$('#me-name').textContent = 'Link not recognised';
				$('#p-main').hidden = true;
				showError('This personal link is not valid for the session. Ask the facilitator for your link or QR code.');
				return false;
			}
			showError(first ? e.message : 'Offline: ' + e.message);
		}
		return true;
	}

	function tick() {
		const me = state.me;
		const label = $('#me-timer-label'), timer = $('#me-timer');
		const started = me && me.round && me.started_at ? Date.parse(me.started_at) : NaN;
		if (!Number.isFinite(started) || !Number.isFinite(me.minutes)) {
			label.textContent = '';
			timer.textContent = '';
			return;
		}
		const elapsed = (Date.now() - started) / 1000;
		const talk = me.minutes * 60, change = (me.changeover || 0) * 60;
		const mmss = (x) => Math.floor(x / 60) + ':' + String(Math.floor(x % 60)).padStart(2, '0');
		if (elapsed < 0) {
			label.textContent = '';
			timer.textContent = '';
		} else if (elapsed < talk) {
			label.textContent = 'Time left';
			timer.textContent = mmss(talk - elapsed);
		} else if (elapsed < talk + change) {
			label.textContent = 'Change tables';
			timer.textContent = mmss(talk + change - elapsed);
		} else {
			label.textContent = 'Time is up';
			timer.textContent = '';
		}
	}

	async function main() {
		if (!token) {
			$('#me-name').textContent = 'Link not recognised';
			showError('Open the personal link or QR code the facilitator gave you.');
			return;
		}
		if (await load(true) === false) return;
		setInterval(() => { load(false); }, POLL_MS);
		setInterval(tick, 1000);
		document.addEventListener('visibilitychange', () => { if (!document.hidden) load(false); });
	}

	main();
})();
