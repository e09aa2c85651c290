// testcontainers, configured for how bpflab uses Docker: no Ryuk (its image would have to be
// pulled, and no registry may be reachable) and the daemon on this host (with
// `dockerd --bridge=none` there is no "bridge" network for testcontainers to find the host by).
// The settings go into the environment before testcontainers is loaded, so users never set them.

type Testcontainers = typeof import("testcontainers");

let loaded: Promise<Testcontainers> | undefined;

export function loadTestcontainers(): Promise<Testcontainers> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "localhost";
  loaded ??= import("testcontainers");
  return loaded;
}

export type DockerClient = Awaited<ReturnType<Testcontainers["getContainerRuntimeClient"]>>;

/** The Docker client, or why there is none. */
export async function dockerClient(): Promise<{ client: DockerClient } | { unavailable: string }> {
  const { getContainerRuntimeClient } = await loadTestcontainers();
  try {
    return { client: await getContainerRuntimeClient() };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { unavailable: `Docker is not reachable (${detail}); start it, e.g. \`dockerd --iptables=false --bridge=none &\`` };
  }
}
