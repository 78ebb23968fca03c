import { Worker } from 'node:worker_threads';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { workerFileBeside } from '../../worker-file.js';
import type { SmtpAnswer, SmtpMail, SmtpTask } from './smtp-worker.js';

/** A failure the relay answered with a reply code (5xx refuses the message for good). */
export class SmtpError extends Error {
  readonly responseCode: number | undefined;

  constructor(message: string, responseCode?: number) {
    super(message);
    this.name = 'SmtpError';
    this.responseCode = responseCode;
  }
}

type Task = {
  [K in SmtpTask['task']]: Omit<Extract<SmtpTask, { task: K }>, 'id'>;
}[SmtpTask['task']];

/**
 * One pooled nodemailer transport on a thread of its own (see smtp-worker.ts): `send` resolves once
 * the relay accepted the message. A thread that dies fails what it was sending (those attempts are
 * retried) and the next task starts a new one.
 */
export class SmtpThread {
  readonly #settings: SMTPPool.Options;
  readonly #pending = new Map<number, (answer: SmtpAnswer) => void>();
  #worker: Worker | undefined;
  #nextId = 1;

  constructor(settings: SMTPPool.Options) {
    this.#settings = settings;
  }

  /** Hands one message to the relay. */
  send(mail: SmtpMail): Promise<void> {
    return this.#run({ task: 'send', mail });
  }

  /** Connects and authenticates once, to check the relay at start. */
  verify(): Promise<void> {
    return this.#run({ task: 'verify' });
  }

  /** Closes the pooled connections and ends the thread. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await this.#run({ task: 'close' }).catch(() => undefined);
    // The answer unreferenced the thread: referenced again until it exits, or the process could
    // end first, with this close unsettled.
    worker.ref();
    await exited;
  }

  #run(task: Task): Promise<void> {
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    // Referenced while it works (a check at start must keep the process up), not while idle.
    if (this.#pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (answer) => {
        if (answer.ok) resolve();
        else reject(new SmtpError(answer.message, answer.responseCode));
      });
      worker.postMessage({ ...task, id } as SmtpTask);
    });
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(workerFileBeside(import.meta.url, 'smtp-worker'), {
      workerData: this.#settings,
    });
    worker.on('message', (answer: SmtpAnswer) => {
      this.#pending.get(answer.id)?.(answer);
      this.#pending.delete(answer.id);
      if (this.#pending.size === 0) worker.unref();
    });
    const lost = (why: string) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      for (const [id, settle] of this.#pending) settle({ id, ok: false, message: why });
      this.#pending.clear();
    };
    worker.on('error', (error) => lost(`The SMTP thread failed: ${error.message}`));
    worker.on('exit', () => lost('The SMTP thread stopped'));
    this.#worker = worker;
    return worker;
  }
}
