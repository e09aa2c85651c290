// Docker-backed tests run wherever Docker is; they skip, saying why, only where it is not.
import { dockerClient } from "../../graders/kit/machine/container/testcontainers-runtime.ts";

const docker = await dockerClient();
export const dockerMissing: string | undefined = "unavailable" in docker ? docker.unavailable : undefined;
if (dockerMissing) process.stderr.write(`skipping the container backend's tests: ${dockerMissing}\n`);
