// The frame sampler: installed by a test, it reads goflow.snapshot() and the
// diagram's data attributes in every animation frame and keeps the extremes,
// so a test can assert what never happened (for example "never more than 3
// workers busy"). window.e2eSampler holds the record; window.e2eSamplerStop()
// stops it. Installing it again starts a fresh record.
(() => {
	if (window.e2eSamplerStop) window.e2eSamplerStop();
	const s = {
		frames: 0,
		maxWorkers: 0,      // snapshot: workers.length
		maxBusy: 0,         // snapshot: workers in state "busy"
		maxBusyGauge: 0,    // snapshot: gauges.busy
		maxBusyShown: 0,    // page: .worker[data-state=busy]
		maxJobsLen: 0,      // snapshot: jobs.len
		maxJobsLenShown: 0, // page: #jobs-channel[data-len]
		producerBlocked: false,      // snapshot: producer.blocked, in some frame
		producerBlockedShown: false, // page: #producer[data-blocked=true], in some frame
		error: "",          // the first thing that went wrong while sampling
	};
	const attr = (sel, name) => {
		const el = document.querySelector(sel);
		const v = el && el.getAttribute(name);
		if (v === null) throw new Error(`no ${sel}[${name}]`);
		return v;
	};
	let id = 0;
	const frame = () => {
		try {
			const snap = goflow.snapshot();
			s.frames++;
			s.maxWorkers = Math.max(s.maxWorkers, snap.workers.length);
			s.maxBusy = Math.max(s.maxBusy, snap.workers.filter(w => w.state === "busy").length);
			s.maxBusyGauge = Math.max(s.maxBusyGauge, snap.gauges.busy);
			s.maxBusyShown = Math.max(s.maxBusyShown, document.querySelectorAll('.worker[data-state="busy"]').length);
			s.maxJobsLen = Math.max(s.maxJobsLen, snap.jobs.len);
			s.maxJobsLenShown = Math.max(s.maxJobsLenShown, Number(attr("#jobs-channel", "data-len")));
			s.producerBlocked ||= snap.producer.blocked;
			s.producerBlockedShown ||= attr("#producer", "data-blocked") === "true";
		} catch (e) {
			s.error ||= String(e);
		}
		id = requestAnimationFrame(frame);
	};
	window.e2eSampler = s;
	window.e2eSamplerStop = () => cancelAnimationFrame(id);
	id = requestAnimationFrame(frame);
})()
