// A LabMachine that is a connection to bpflab-agent, plus whatever stops the machine behind it.
import type { AgentConnection } from "./agent-client.ts";
import type { LabMachine, MachineInfo, SpawnOptions } from "../lab-machine.ts";

export interface AgentMachineOptions {
  /** Rewrites a command before it is sent, e.g. to where the host keeps the workloads. */
  resolveArgv?: (argv: readonly string[], options: SpawnOptions | undefined) => readonly string[];
  /** Stops what runs the agent, after the connection is closed. */
  stop: () => Promise<void>;
  /** Why the machine behind the agent failed, when it knows better than the agent's connection (qemu exited). */
  failure?: () => string | undefined;
}

export function agentMachine(agent: AgentConnection, info: MachineInfo, options: AgentMachineOptions): LabMachine {
  const resolve = options.resolveArgv ?? ((argv: readonly string[]) => argv);
  let closing: Promise<void> | undefined;
  return {
    info,
    spawn: (argv, spawnOptions) => agent.spawn(resolve(argv, spawnOptions), spawnOptions),
    writeFile: (path, data, mode) => agent.writeFile(path, data, mode),
    readFile: (path) => agent.readFile(path),
    get failure() {
      return options.failure?.() ?? agent.failure;
    },
    close() {
      closing ??= agent.close().then(options.stop);
      return closing;
    },
  };
}

/** The lab image's package manifest (name TAB version per line), without the VM's kernel. */
export function userSpacePackages(manifest: string): Record<string, string> {
  const packages: Record<string, string> = {};
  for (const line of manifest.split("\n")) {
    const [name, version] = line.split("\t");
    if (name && version && !name.startsWith("linux-image")) packages[name] = version;
  }
  return packages;
}
