// How every backend turns a byte stream to bpflab-agent into a lab machine: open the
// connection (HELLO within a time), describe the machine, and stop what runs the agent if
// anything fails on the way, so that no half-started machine is left behind.
import type { Duplex } from "node:stream";
import { AgentConnection, type AgentConnectionOptions } from "./agent-client.ts";
import { agentMachine, type AgentMachineOptions } from "./agent-machine.ts";
import type { LabMachine, MachineInfo } from "../lab-machine.ts";

export interface AgentMachineSetup extends AgentMachineOptions {
  /** The stream to the agent, or how to get it (it may take a while to listen). */
  stream: () => Promise<Duplex>;
  timing: AgentConnectionOptions;
  info(agent: AgentConnection): MachineInfo;
  /** Work to do once connected, before the machine is handed out (set the clock, mount tracefs). */
  prepare?(machine: LabMachine, agent: AgentConnection): Promise<void>;
}

export async function connectAgentMachine(setup: AgentMachineSetup): Promise<LabMachine> {
  let agent: AgentConnection | undefined;
  try {
    agent = await AgentConnection.open(await setup.stream(), setup.timing);
    const machine = agentMachine(agent, setup.info(agent), setup);
    await setup.prepare?.(machine, agent);
    return machine;
  } catch (error) {
    await agent?.close().catch(() => undefined);
    await setup.stop();
    throw error;
  }
}
