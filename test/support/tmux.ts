// A real terminal for tests: a private tmux server whose windows run a host shell, driven by
// typing keys and reading the screen, as a person at a terminal would.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

export async function tmuxMissing(): Promise<string | undefined> {
  const probe = await execa("tmux", ["-V"], { reject: false });
  return probe.exitCode === 0 ? undefined : "tmux is not installed (apt-get install tmux)";
}

export class TmuxWindow {
  constructor(
    private readonly server: TmuxServer,
    readonly name: string,
  ) {}

  /** Types text, then Enter. */
  async line(text: string): Promise<void> {
    await this.server.tmux(["send-keys", "-t", this.name, "-l", text]);
    await this.server.tmux(["send-keys", "-t", this.name, "Enter"]);
  }

  /** Presses keys by tmux's names (C-c, C-d, Enter). */
  async keys(...names: string[]): Promise<void> {
    await this.server.tmux(["send-keys", "-t", this.name, ...names]);
  }

  async size(): Promise<{ rows: number; cols: number }> {
    const [rows, cols] = (await this.server.tmux(["display-message", "-p", "-t", this.name, "#{pane_height} #{pane_width}"])).stdout.trim().split(" ");
    return { rows: Number(rows), cols: Number(cols) };
  }

  async resize(size: { rows: number; cols: number }): Promise<void> {
    await this.server.tmux(["resize-window", "-t", this.name, "-x", String(size.cols), "-y", String(size.rows)]);
  }

  /** The window's screen and scrollback, wrapped lines joined. */
  async screen(): Promise<string> {
    return (await this.server.tmux(["capture-pane", "-p", "-J", "-S", "-1000", "-t", this.name])).stdout;
  }

  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      const match = pattern.exec(screen);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`${pattern} did not appear within ${timeoutMs / 1000} s in window ${this.name}; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits until the pattern matches more often than it did before `action`. */
  async after(action: () => Promise<void>, pattern: RegExp, timeoutMs: number): Promise<string> {
    const global = new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`);
    const before = (await this.screen()).match(global)?.length ?? 0;
    await action();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      const matches = screen.match(global) ?? [];
      const found = matches[before];
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`a new ${pattern} did not appear within ${timeoutMs / 1000} s in window ${this.name}; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export class TmuxServer {
  private readonly dir = mkdtempSync(join(tmpdir(), "bpflab-tmux-"));
  private readonly socket = join(this.dir, "tmux.sock");
  private windows = 0;

  constructor(
    private readonly size: { cols: number; rows: number },
    private readonly env: Record<string, string>,
  ) {}

  /** The TERM that programs in the windows see. */
  async term(): Promise<string> {
    return (await this.tmux(["show-options", "-gv", "default-terminal"])).stdout.trim();
  }

  tmux(args: string[]) {
    return execa("tmux", ["-S", this.socket, ...args], { env: this.env });
  }

  /** A new window running a plain bash (no rc files) with the prompt "host$ ", in `cwd`. */
  async window(cwd: string): Promise<TmuxWindow> {
    const name = `w${this.windows++}`;
    const shell = "env PS1='host$ ' bash --norc --noprofile";
    const size = ["-x", String(this.size.cols), "-y", String(this.size.rows)];
    if (this.windows === 1) await this.tmux(["new-session", "-d", "-s", "test", "-n", name, ...size, "-c", cwd, shell]);
    else await this.tmux(["new-window", "-d", "-t", "test", "-n", name, "-c", cwd, shell]);
    const window = new TmuxWindow(this, `test:${name}`);
    await window.waitFor(/host\$ $/m, 10_000);
    return window;
  }

  async close(): Promise<void> {
    await this.tmux(["kill-server"]).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
