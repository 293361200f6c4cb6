// The refresh loop: jobs, then the plotted jobs, then the models when a job gained one, then the experiments;
// fast while something runs, slow when idle or hidden. poll.now() runs it at once (after the one in flight).
import {TERMINAL} from './dom.js';
import {ApiError} from './api.js';
import {jobs, refreshJobs} from './jobs.js';
import {plot, plottedIds, refreshPlotted} from './plot.js';
import {models} from './models.js';
import {refreshExperiments} from './experiments.js';

export const poll = {
  timer: null, busy: false,
  async run() {
    if (this.busy) return;
    this.busy = true;
    clearTimeout(this.timer);
    let running = false;
    try {
      await refreshJobs();
      await refreshPlotted();
      running = jobs.list.some((j) => !TERMINAL.has(j.state)) ||
        plottedIds().some((id) => { const j = plot.details.get(id); return j && !TERMINAL.has(j.state); });
      await models.refreshIfChanged();
      if (await refreshExperiments()) running = true;
    } catch (e) {
      if (!(e instanceof ApiError)) console.warn(e); // eslint-disable-line no-console
    } finally {
      this.busy = false;
      this.timer = setTimeout(() => this.run(), document.hidden ? 5000 : running ? 600 : 2500);
    }
  },
  async now() { while (this.busy) await new Promise((r) => setTimeout(r, 50)); return this.run(); },
};
