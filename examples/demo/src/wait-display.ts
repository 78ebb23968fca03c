const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Without a TTY, how often a plain "still waiting" line is printed. */
const PLAIN_EVERY_MS = 30_000;

function elapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

/**
 * Shows that the agent is waiting: a spinner with the elapsed time on a TTY, plain lines
 * otherwise (so logs and pipes stay readable). Returns the function that ends the display.
 */
export function showWait(
  label: string,
  out: NodeJS.WriteStream = process.stdout,
): (finalLine: string) => void {
  const started = Date.now();
  let timer: NodeJS.Timeout;
  if (out.isTTY) {
    let frame = 0;
    const draw = () => {
      frame = (frame + 1) % FRAMES.length;
      out.write(`\r\x1b[2K${FRAMES[frame]} ${label} (${elapsed(Date.now() - started)})`);
    };
    draw();
    timer = setInterval(draw, 100);
  } else {
    out.write(`… ${label}\n`);
    timer = setInterval(() => {
      out.write(`… still waiting (${elapsed(Date.now() - started)})\n`);
    }, PLAIN_EVERY_MS);
  }
  timer.unref();
  return (finalLine) => {
    clearInterval(timer);
    const after = `(after ${elapsed(Date.now() - started)})`;
    out.write(out.isTTY ? `\r\x1b[2K${finalLine} ${after}\n` : `${finalLine} ${after}\n`);
  };
}
