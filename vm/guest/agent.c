/*
 * bpflab-agent: runs commands for the bpflab grader inside a lab machine (a VM,
 * a container or the host) and streams their output back to it.
 *
 *   bpflab-agent --stdio          the protocol on fds 0 and 1
 *   bpflab-agent --device PATH    a virtio-serial port (in the VM, often as PID 1)
 *   bpflab-agent --listen PATH    a unix stream socket, one host connection at a time
 *
 * The frames are described in PROTOCOL.md next to this file. Everything runs in one
 * thread around poll(); no call blocks except the short wait for a child to exec.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PROTOCOL_VERSION "2"
#define FRAME_HEADER_SIZE 9
#define MAX_PAYLOAD (1024u * 1024u)
#define MAX_PROCESSES 128
#define PIPE_READ_SIZE (64u * 1024u)
#define CHANNEL_READ_SIZE (256u * 1024u)
/* Above this much unsent output we stop reading the processes' pipes. */
#define CHANNEL_HIGH_WATER (4u * 1024u * 1024u)
#define MAX_READ_FILE (64u * 1024u * 1024u)
#define HEARTBEAT_MS 1000
#define EXIT_GRACE_MS 2000
#define DEVICE_RETRY_MS 100
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

enum frame_type {
	FRAME_SPAWN = 1,
	FRAME_STDIN = 2,
	FRAME_SIGNAL = 3,
	FRAME_WRITE_FILE = 4,
	FRAME_READ_FILE = 5,
	FRAME_APPEND_FILE = 6,
	FRAME_SPAWN_TERMINAL = 7,
	FRAME_RESIZE = 8,
	FRAME_STARTED = 10,
	FRAME_STDOUT = 11,
	FRAME_STDERR = 12,
	FRAME_EXIT = 13,
	FRAME_HELLO = 14,
	FRAME_HEARTBEAT = 15,
	FRAME_OK = 20,
	FRAME_ERROR = 21,
	FRAME_DATA = 22,
};

/* A FIFO of bytes: data[head, tail) is queued, data[tail, capacity) is free. */
struct byte_queue {
	uint8_t *data;
	size_t head;
	size_t tail;
	size_t capacity;
};

struct process {
	bool in_use;
	uint32_t id;		/* chosen by the host */
	pid_t pid;		/* also the id of its process group and session */
	bool terminal;		/* runs on a pseudo-terminal: stdin_fd and stdout_fd are its master */
	int stdin_fd;		/* the agent's pipe ends; -1 once closed */
	int stdout_fd;
	int stderr_fd;		/* -1 for a terminal, whose output all comes through stdout_fd */
	struct byte_queue stdin_pending;
	bool stdin_close_requested;
	bool reaped;
	int32_t exit_code;	/* -1 when killed by a signal */
	int32_t exit_signal;	/* 0 when it exited */
	int64_t reaped_at_ms;
};

enum channel_mode { MODE_STDIO, MODE_DEVICE, MODE_LISTEN };

struct channel {
	enum channel_mode mode;
	int in_fd;		/* -1 while no host is connected (listen mode) */
	int out_fd;
	int listen_fd;		/* listen mode only */
	struct byte_queue in;
	struct byte_queue out;
	size_t input_to_skip;	/* the rest of an oversized frame, being discarded */
	bool reached_host;	/* something was written since the session began */
	int64_t paused_until_ms; /* device mode: no host connected, look again later */
};

static struct process processes[MAX_PROCESSES];
static struct channel channel;
static int signal_fd;
static int64_t next_heartbeat_ms;

static void die(const char *format, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *format, ...)
{
	va_list args;

	fputs("bpflab-agent: ", stderr);
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fputc('\n', stderr);
	exit(1);
}

static int64_t now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return -1;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* ---- byte queues ---- */

static size_t queue_length(const struct byte_queue *queue)
{
	return queue->tail - queue->head;
}

/* Makes room for `size` more bytes at data + tail and returns that address. */
static uint8_t *queue_reserve(struct byte_queue *queue, size_t size)
{
	size_t length = queue_length(queue);

	if (queue->capacity - queue->tail >= size)
		return queue->data + queue->tail;
	/* Compact only when that moves less than was consumed, so each byte moves once. */
	if (queue->head >= length && queue->capacity - length >= size) {
		memmove(queue->data, queue->data + queue->head, length);
	} else {
		size_t capacity = queue->capacity ? queue->capacity : 64 * 1024;
		uint8_t *data;

		while (capacity - length < size)
			capacity *= 2;
		data = malloc(capacity);
		if (!data)
			die("out of memory (%zu bytes)", capacity);
		if (length)
			memcpy(data, queue->data + queue->head, length);
		free(queue->data);
		queue->data = data;
		queue->capacity = capacity;
	}
	queue->head = 0;
	queue->tail = length;
	return queue->data + queue->tail;
}

static void queue_append(struct byte_queue *queue, const void *data, size_t size)
{
	if (size == 0)
		return;
	memcpy(queue_reserve(queue, size), data, size);
	queue->tail += size;
}

static void queue_free(struct byte_queue *queue)
{
	free(queue->data);
	memset(queue, 0, sizeof(*queue));
}

static void queue_consume(struct byte_queue *queue, size_t size)
{
	queue->head += size;
	if (queue->head < queue->tail)
		return;
	/* Empty: give back a buffer that a big file read has grown. */
	if (queue->capacity > 4 * CHANNEL_HIGH_WATER)
		queue_free(queue);
	queue->head = 0;
	queue->tail = 0;
}

static void queue_truncate(struct byte_queue *queue, size_t length)
{
	queue->tail = queue->head + length;
}

/* ---- frames to the host ---- */

static void put_le32(uint8_t *bytes, uint32_t value)
{
	bytes[0] = value & 0xff;
	bytes[1] = (value >> 8) & 0xff;
	bytes[2] = (value >> 16) & 0xff;
	bytes[3] = (value >> 24) & 0xff;
}

static uint32_t get_le32(const uint8_t *bytes)
{
	return (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 |
	       (uint32_t)bytes[3] << 24;
}

static void put_header(uint8_t *header, uint8_t type, uint32_t id, uint32_t length)
{
	header[0] = type;
	put_le32(header + 1, id);
	put_le32(header + 5, length);
}

static bool host_connected(void)
{
	return channel.out_fd >= 0;
}

static bool channel_backlogged(void)
{
	return queue_length(&channel.out) >= CHANNEL_HIGH_WATER;
}

static void send_frame(uint8_t type, uint32_t id, const void *payload, size_t length)
{
	uint8_t *frame;

	if (!host_connected())
		return;
	frame = queue_reserve(&channel.out, FRAME_HEADER_SIZE + length);
	put_header(frame, type, id, length);
	if (length)
		memcpy(frame + FRAME_HEADER_SIZE, payload, length);
	channel.out.tail += FRAME_HEADER_SIZE + length;
}

static void send_error(uint32_t id, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void send_error(uint32_t id, const char *format, ...)
{
	char message[PATH_MAX + 256];
	va_list args;
	int length;

	va_start(args, format);
	length = vsnprintf(message, sizeof(message), format, args);
	va_end(args);
	if (length < 0)
		length = 0;
	if ((size_t)length >= sizeof(message))
		length = sizeof(message) - 1;
	send_frame(FRAME_ERROR, id, message, (size_t)length);
}

static void send_hello(void)
{
	struct utsname names;
	const char *release = uname(&names) == 0 ? names.release : "unknown";
	struct byte_queue payload = { 0 };

	queue_append(&payload, "bpflab-agent", sizeof("bpflab-agent"));
	queue_append(&payload, PROTOCOL_VERSION, sizeof(PROTOCOL_VERSION));
	queue_append(&payload, release, strlen(release) + 1);
	send_frame(FRAME_HELLO, 0, payload.data, queue_length(&payload));
	queue_free(&payload);
}

static void send_heartbeat_if_due(int64_t now)
{
	if (now < next_heartbeat_ms)
		return;
	next_heartbeat_ms = now + HEARTBEAT_MS;
	/* Queued frames will tell the host we are alive; don't pile heartbeats behind them. */
	if (queue_length(&channel.out) == 0)
		send_frame(FRAME_HEARTBEAT, 0, NULL, 0);
}

/* ---- processes ---- */

static struct process *find_process(uint32_t id)
{
	for (int i = 0; i < MAX_PROCESSES; i++)
		if (processes[i].in_use && processes[i].id == id)
			return &processes[i];
	return NULL;
}

static struct process *find_process_by_pid(pid_t pid)
{
	for (int i = 0; i < MAX_PROCESSES; i++)
		if (processes[i].in_use && processes[i].pid == pid)
			return &processes[i];
	return NULL;
}

static struct process *free_process_slot(void)
{
	for (int i = 0; i < MAX_PROCESSES; i++)
		if (!processes[i].in_use)
			return &processes[i];
	return NULL;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void close_stdin(struct process *process)
{
	close_fd(&process->stdin_fd);
	queue_free(&process->stdin_pending);
}

static void release_process(struct process *process)
{
	close_stdin(process);
	close_fd(&process->stdout_fd);
	close_fd(&process->stderr_fd);
	process->in_use = false;
}

/* EXIT goes out once the process is reaped and both output pipes are closed. */
static void finish_if_done(struct process *process)
{
	uint8_t payload[8];

	if (!process->reaped || process->stdout_fd >= 0 || process->stderr_fd >= 0)
		return;
	put_le32(payload, (uint32_t)process->exit_code);
	put_le32(payload + 4, (uint32_t)process->exit_signal);
	send_frame(FRAME_EXIT, process->id, payload, sizeof(payload));
	release_process(process);
}

/* Reads one chunk from an output pipe straight into a frame; returns read()'s result. */
static ssize_t read_output(struct process *process, int *fd, uint8_t type)
{
	uint8_t *frame = queue_reserve(&channel.out, FRAME_HEADER_SIZE + PIPE_READ_SIZE);
	ssize_t count = read(*fd, frame + FRAME_HEADER_SIZE, PIPE_READ_SIZE);

	if (count > 0) {
		put_header(frame, type, process->id, (uint32_t)count);
		channel.out.tail += FRAME_HEADER_SIZE + (size_t)count;
	} else if (count == 0 || (errno != EAGAIN && errno != EINTR)) {
		close_fd(fd);
		finish_if_done(process);
	}
	return count;
}

static void write_stdin(struct process *process)
{
	struct byte_queue *pending = &process->stdin_pending;
	ssize_t count = write(process->stdin_fd, pending->data + pending->head, queue_length(pending));

	if (count > 0) {
		queue_consume(pending, (size_t)count);
	} else if (count < 0 && errno != EAGAIN && errno != EINTR) {
		/* EPIPE: nobody reads it any more, so the rest cannot be delivered. */
		close_stdin(process);
		return;
	}
	if (process->stdin_close_requested && queue_length(pending) == 0)
		close_stdin(process);
}

/*
 * Signals every process of a session, also those that made process groups of their own
 * (a shell's jobs); processes that left the session with setsid(2) are spared.
 */
static void signal_session(pid_t session, int signal_number)
{
	DIR *proc = opendir("/proc");
	struct dirent *entry;

	if (!proc)
		return;
	while ((entry = readdir(proc))) {
		char path[64], stat[512];
		const char *fields;
		int fd, process_session;
		ssize_t count;
		pid_t pid = (pid_t)strtol(entry->d_name, NULL, 10);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		count = read(fd, stat, sizeof(stat) - 1);
		close(fd);
		if (count <= 0)
			continue;
		stat[count] = '\0';
		/* pid (comm) state ppid pgrp session ...: comm may hold anything, even ") ". */
		fields = strrchr(stat, ')');
		if (fields && sscanf(fields + 1, " %*c %*d %*d %d", &process_session) == 1 &&
		    process_session == session)
			kill(pid, signal_number);
	}
	closedir(proc);
}

static void reap_children(void)
{
	struct signalfd_siginfo info;
	int status;
	pid_t pid;

	while (read(signal_fd, &info, sizeof(info)) == sizeof(info))
		;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		/* Orphans inherited as PID 1, and processes of an ended session, are not ours. */
		struct process *process = find_process_by_pid(pid);

		if (!process)
			continue;
		process->reaped = true;
		process->reaped_at_ms = now_ms();
		process->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		process->exit_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		/* A terminal hangs up when its shell ends, as a closed terminal window does. */
		if (process->terminal) {
			signal_session(process->pid, SIGHUP);
			signal_session(process->pid, SIGCONT);
		}
		finish_if_done(process);
	}
}

/*
 * Something the process started may keep its pipes open after it exited. After the grace
 * period, take what is already in the pipes and close them. While the channel is backlogged
 * the pipes are full because we stopped reading, so the grace period waits for it to drain.
 */
static void close_pipes_held_open(int64_t now)
{
	if (channel_backlogged())
		return;
	for (int i = 0; i < MAX_PROCESSES; i++) {
		struct process *process = &processes[i];

		if (!process->in_use || !process->reaped || now < process->reaped_at_ms + EXIT_GRACE_MS)
			continue;
		for (int reads = 0; reads < 16 && process->in_use && process->stdout_fd >= 0; reads++)
			if (read_output(process, &process->stdout_fd, FRAME_STDOUT) <= 0)
				break;
		for (int reads = 0; reads < 16 && process->in_use && process->stderr_fd >= 0; reads++)
			if (read_output(process, &process->stderr_fd, FRAME_STDERR) <= 0)
				break;
		if (!process->in_use)
			continue;
		close_fd(&process->stdout_fd);
		close_fd(&process->stderr_fd);
		finish_if_done(process);
	}
}

/* ---- starting a process ---- */

static const char *find_env(char *const envp[], const char *name)
{
	size_t length = strlen(name);

	for (; *envp; envp++)
		if (strncmp(*envp, name, length) == 0 && (*envp)[length] == '=')
			return *envp + length + 1;
	return NULL;
}

/*
 * Like execvpe, but PATH comes from the new environment, and a script without "#!" is an
 * error rather than run by /bin/sh. Returns only on failure.
 */
static void exec_searching_path(char *const argv[], char *const envp[])
{
	const char *name = argv[0];
	const char *path = find_env(envp, "PATH");
	int error = ENOENT;

	if (!*name) {
		errno = ENOENT;
		return;
	}
	if (strchr(name, '/')) {
		execve(name, argv, envp);
		return;
	}
	if (!path)
		path = DEFAULT_PATH;
	for (;;) {
		const char *end = strchrnul(path, ':');
		/* An empty entry means the current directory. */
		const char *dir = end > path ? path : ".";
		int dir_length = end > path ? (int)(end - path) : 1;
		char candidate[PATH_MAX];

		if (snprintf(candidate, sizeof(candidate), "%.*s/%s", dir_length, dir, name) <
		    (int)sizeof(candidate)) {
			execve(candidate, argv, envp);
			if (errno == EACCES)
				error = EACCES;
			else if (errno != ENOENT && errno != ENOTDIR)
				return;
		}
		if (*end == '\0')
			break;
		path = end + 1;
	}
	errno = error;
}

/* In the child: tells the agent what failed, with errno's description. */
static void report_failure(int report_fd, const char *format, ...)
	__attribute__((format(printf, 2, 3), noreturn));
static void report_failure(int report_fd, const char *format, ...)
{
	int error = errno;
	char what[PATH_MAX + 64];
	va_list args;

	va_start(args, format);
	vsnprintf(what, sizeof(what), format, args);
	va_end(args);
	dprintf(report_fd, "%s: %s", what, strerror(error));
	_exit(127);
}

/* In the child: become the command, or describe on report_fd why that failed. */
static void run_child(char *const argv[], char *const envp[], const char *cwd, const int stdio[3],
		      bool terminal, int report_fd, pid_t agent_pid) __attribute__((noreturn));
static void run_child(char *const argv[], char *const envp[], const char *cwd, const int stdio[3],
		      bool terminal, int report_fd, pid_t agent_pid)
{
	sigset_t no_signals;

	sigemptyset(&no_signals);
	sigprocmask(SIG_SETMASK, &no_signals, NULL);
	signal(SIGPIPE, SIG_DFL);
	/* If the agent dies, the command dies with it rather than trace on unsupervised. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != agent_pid)
		_exit(127);
	if (setsid() < 0)
		report_failure(report_fd, "setsid");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(stdio[fd], fd) < 0)
			report_failure(report_fd, "dup2");
	/* The session leader takes the terminal: Ctrl-C then reaches its foreground job. */
	if (terminal && ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
		report_failure(report_fd, "cannot make the pseudo-terminal the controlling terminal");
	if (chdir(cwd) < 0)
		report_failure(report_fd, "cannot change directory to %s", cwd);
	exec_searching_path(argv, envp);
	report_failure(report_fd, "cannot run %s", argv[0]);
}

/* A pseudo-terminal of the given size: its master, and the other end for the child. */
static bool open_terminal(uint32_t id, const struct winsize *size, int *master, int *child_end)
{
	char name[64];

	*master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0) {
		send_error(id, "cannot open a pseudo-terminal (/dev/ptmx): %s", strerror(errno));
		return false;
	}
	if (grantpt(*master) < 0 || unlockpt(*master) < 0 || ptsname_r(*master, name, sizeof(name)) != 0) {
		send_error(id, "cannot set up a pseudo-terminal: %s", strerror(errno));
		return false;
	}
	if (ioctl(*master, TIOCSWINSZ, size) < 0) {
		send_error(id, "cannot set the window size: %s", strerror(errno));
		return false;
	}
	*child_end = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*child_end < 0) {
		send_error(id, "open %s: %s", name, strerror(errno));
		return false;
	}
	return true;
}

/* Three pipes, or a terminal: ours[i] is the agent's end of the child's fd i (-1 if none). */
static bool open_stdio(uint32_t id, const struct winsize *terminal, int ours[3], int childs[3])
{
	int pipes[3][2];

	if (terminal) {
		if (!open_terminal(id, terminal, &ours[1], &childs[0]))
			return false;
		ours[0] = fcntl(ours[1], F_DUPFD_CLOEXEC, 0);
		childs[1] = fcntl(childs[0], F_DUPFD_CLOEXEC, 0);
		childs[2] = fcntl(childs[0], F_DUPFD_CLOEXEC, 0);
		if (ours[0] < 0 || childs[1] < 0 || childs[2] < 0) {
			send_error(id, "dup: %s", strerror(errno));
			return false;
		}
		return true;
	}
	for (int fd = 0; fd < 3; fd++) {
		if (pipe2(pipes[fd], O_CLOEXEC) < 0) {
			send_error(id, "pipe: %s", strerror(errno));
			return false;
		}
		/* stdin: the child reads, the agent writes; stdout and stderr the other way round. */
		ours[fd] = pipes[fd][fd == 0 ? 1 : 0];
		childs[fd] = pipes[fd][fd == 0 ? 0 : 1];
	}
	return true;
}

static void start_process(struct process *slot, uint32_t id, char *const argv[], char *const envp[],
			  const char *cwd, const struct winsize *terminal)
{
	int ours[3] = { -1, -1, -1 }, childs[3] = { -1, -1, -1 };
	int report_pipe[2] = { -1, -1 };
	char report[512];
	size_t report_length = 0;
	char pid_text[16];
	pid_t agent_pid = getpid();
	pid_t pid;

	/* The agent's fds are all close-on-exec, so children get only their stdio. */
	if (!open_stdio(id, terminal, ours, childs))
		goto close_fds;
	if (pipe2(report_pipe, O_CLOEXEC) < 0) {
		send_error(id, "pipe: %s", strerror(errno));
		goto close_fds;
	}
	pid = fork();
	if (pid < 0) {
		send_error(id, "fork: %s", strerror(errno));
		goto close_fds;
	}
	if (pid == 0) {
		close(report_pipe[0]);
		run_child(argv, envp, cwd, childs, terminal != NULL, report_pipe[1], agent_pid);
	}
	for (int fd = 0; fd < 3; fd++)
		close_fd(&childs[fd]);
	close_fd(&report_pipe[1]);

	/* The report pipe closes on a successful exec; anything written to it is the failure. */
	for (;;) {
		ssize_t count = read(report_pipe[0], report + report_length,
				     sizeof(report) - report_length);

		if (count < 0 && errno == EINTR)
			continue;
		if (count <= 0)
			break;
		report_length += (size_t)count;
		if (report_length == sizeof(report))
			break;
	}
	if (report_length > 0) {
		waitpid(pid, NULL, 0);
		send_error(id, "%.*s", (int)report_length, report);
		goto close_fds;
	}
	for (int fd = 0; fd < 3; fd++)
		if (ours[fd] >= 0 && set_nonblocking(ours[fd]) < 0)
			die("fcntl O_NONBLOCK: %s", strerror(errno));

	memset(slot, 0, sizeof(*slot));
	slot->in_use = true;
	slot->id = id;
	slot->pid = pid;
	slot->terminal = terminal != NULL;
	slot->stdin_fd = ours[0];
	slot->stdout_fd = ours[1];
	slot->stderr_fd = ours[2];
	ours[0] = ours[1] = ours[2] = -1;
	snprintf(pid_text, sizeof(pid_text), "%d", (int)pid);
	send_frame(FRAME_STARTED, id, pid_text, strlen(pid_text));

close_fds:
	for (int fd = 0; fd < 3; fd++) {
		close_fd(&ours[fd]);
		close_fd(&childs[fd]);
	}
	close_fd(&report_pipe[0]);
	close_fd(&report_pipe[1]);
}

/* ---- frames from the host ---- */

/* Walks the NUL-terminated strings of a payload. */
struct payload_reader {
	char *next;
	char *end;
};

static char *take_string(struct payload_reader *reader)
{
	char *string = reader->next;
	char *nul;

	if (string >= reader->end)
		return NULL;
	nul = memchr(string, '\0', (size_t)(reader->end - string));
	if (!nul)
		return NULL;
	reader->next = nul + 1;
	return string;
}

/* A non-empty string of digits in base 8 or 10, at most max. */
static bool parse_number(const char *text, unsigned base, uint32_t max, uint32_t *value)
{
	uint64_t result = 0;

	if (!text || !*text)
		return false;
	for (; *text; text++) {
		unsigned digit = (unsigned)(*text - '0');

		if (*text < '0' || *text > '9' || digit >= base)
			return false;
		result = result * base + digit;
		if (result > max)
			return false;
	}
	*value = (uint32_t)result;
	return true;
}

/* Reads `count` strings into a new NULL-terminated array, or returns NULL. */
static char **take_strings(struct payload_reader *reader, uint32_t count)
{
	char **strings = calloc((size_t)count + 1, sizeof(char *));

	if (!strings)
		die("out of memory");
	for (uint32_t i = 0; i < count; i++) {
		strings[i] = take_string(reader);
		if (!strings[i]) {
			free(strings);
			return NULL;
		}
	}
	return strings;
}

/* Reads "rows\0cols\0", each 1..65535. */
static bool take_window_size(struct payload_reader *reader, struct winsize *size)
{
	uint32_t rows, cols;

	if (!parse_number(take_string(reader), 10, 65535, &rows) || rows == 0 ||
	    !parse_number(take_string(reader), 10, 65535, &cols) || cols == 0)
		return false;
	*size = (struct winsize){ .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	return true;
}

/* SPAWN, and SPAWN_TERMINAL, which is a window size followed by SPAWN's payload. */
static void handle_spawn(uint32_t id, uint8_t *payload, size_t length, bool on_terminal)
{
	struct payload_reader reader = { (char *)payload, (char *)payload + length };
	char **argv = NULL, **envp = NULL;
	struct winsize window;
	const char *cwd;
	struct process *slot;
	uint32_t argc, envc;

	/* Every string takes at least its NUL, so no count can exceed the payload length. */
	if ((on_terminal && !take_window_size(&reader, &window)) ||
	    !parse_number(take_string(&reader), 10, (uint32_t)length, &argc) || argc == 0 ||
	    !(argv = take_strings(&reader, argc)) ||
	    !parse_number(take_string(&reader), 10, (uint32_t)length, &envc) ||
	    !(envp = take_strings(&reader, envc)) || !(cwd = take_string(&reader)) ||
	    reader.next != reader.end) {
		send_error(id, "malformed %s frame", on_terminal ? "SPAWN_TERMINAL" : "SPAWN");
		goto out;
	}
	if (find_process(id)) {
		send_error(id, "process id %u is already in use", id);
		goto out;
	}
	slot = free_process_slot();
	if (!slot) {
		send_error(id, "too many processes (at most %d at a time)", MAX_PROCESSES);
		goto out;
	}
	start_process(slot, id, argv, envp, cwd[0] ? cwd : "/", on_terminal ? &window : NULL);
out:
	free(argv);
	free(envp);
}

static void handle_resize(uint32_t id, uint8_t *payload, size_t length)
{
	struct payload_reader reader = { (char *)payload, (char *)payload + length };
	struct process *process;
	struct winsize window;

	if (!take_window_size(&reader, &window) || reader.next != reader.end) {
		send_error(id, "malformed RESIZE frame");
		return;
	}
	process = find_process(id);
	/* The terminal may be gone already; the kernel tells its foreground job (SIGWINCH). */
	if (process && process->terminal && process->stdout_fd >= 0)
		ioctl(process->stdout_fd, TIOCSWINSZ, &window);
}

static void handle_stdin(uint32_t id, const uint8_t *payload, size_t length)
{
	struct process *process = find_process(id);

	/* The process may have exited or closed its stdin already; then the bytes don't matter. */
	if (!process || process->stdin_fd < 0 || process->stdin_close_requested)
		return;
	if (length == 0) {
		process->stdin_close_requested = true;
		if (queue_length(&process->stdin_pending) == 0)
			close_stdin(process);
		return;
	}
	queue_append(&process->stdin_pending, payload, length);
}

static void handle_signal(uint32_t id, const uint8_t *payload, size_t length)
{
	char text[8] = { 0 };
	struct process *process;
	uint32_t signal_number;

	/* The payload is the number, with or without a terminating NUL. */
	if (length < sizeof(text))
		memcpy(text, payload, length);
	if (!parse_number(text, 10, 64, &signal_number) || signal_number == 0) {
		send_error(id, "malformed SIGNAL frame");
		return;
	}
	process = find_process(id);
	if (process)
		kill(-process->pid, (int)signal_number);
}

static int make_parent_directories(const char *path)
{
	char buffer[PATH_MAX];

	if (strlen(path) >= sizeof(buffer)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buffer, path);
	for (char *slash = strchr(buffer + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(buffer, 0755) < 0 && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	return 0;
}

static int write_all(int fd, const uint8_t *data, size_t length)
{
	while (length > 0) {
		ssize_t count = write(fd, data, length);

		if (count < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += count;
		length -= (size_t)count;
	}
	return 0;
}

/* Writes the rest of the reader's payload to fd, closes it and answers OK or ERROR. */
static void finish_file_write(uint32_t id, const char *path, int fd, struct payload_reader *reader)
{
	if (write_all(fd, (const uint8_t *)reader->next, (size_t)(reader->end - reader->next)) < 0) {
		send_error(id, "write %s: %s", path, strerror(errno));
		close(fd);
		return;
	}
	if (close(fd) < 0) {
		send_error(id, "close %s: %s", path, strerror(errno));
		return;
	}
	send_frame(FRAME_OK, id, NULL, 0);
}

static void handle_write_file(uint32_t id, uint8_t *payload, size_t length)
{
	struct payload_reader reader = { (char *)payload, (char *)payload + length };
	const char *path = take_string(&reader);
	uint32_t mode;
	int fd;

	if (!path || !*path || !parse_number(take_string(&reader), 8, 07777, &mode)) {
		send_error(id, "malformed WRITE_FILE frame");
		return;
	}
	if (make_parent_directories(path) < 0) {
		send_error(id, "cannot create the directories above %s: %s", path, strerror(errno));
		return;
	}
	/* O_NONBLOCK here and below: a FIFO or a device must not hang the agent. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, (mode_t)mode);
	if (fd < 0) {
		send_error(id, "open %s: %s", path, strerror(errno));
		return;
	}
	/* The mode is exact: not masked by the umask, and also applied to an existing file. */
	if (fchmod(fd, (mode_t)mode) < 0) {
		send_error(id, "chmod %s: %s", path, strerror(errno));
		close(fd);
		return;
	}
	finish_file_write(id, path, fd, &reader);
}

static void handle_append_file(uint32_t id, uint8_t *payload, size_t length)
{
	struct payload_reader reader = { (char *)payload, (char *)payload + length };
	const char *path = take_string(&reader);
	int fd;

	if (!path || !*path) {
		send_error(id, "malformed APPEND_FILE frame");
		return;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		send_error(id, "open %s: %s", path, strerror(errno));
		return;
	}
	finish_file_write(id, path, fd, &reader);
}

/* Reads the file straight into DATA frames; on failure they are taken back out. */
static void handle_read_file(uint32_t id, uint8_t *payload, size_t length)
{
	struct payload_reader reader = { (char *)payload, (char *)payload + length };
	const char *path = take_string(&reader);
	size_t queued_before = queue_length(&channel.out);
	size_t total = 0;
	ssize_t count;
	int fd;

	if (!path || !*path || reader.next != reader.end) {
		send_error(id, "malformed READ_FILE frame");
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		send_error(id, "open %s: %s", path, strerror(errno));
		return;
	}
	do {
		uint8_t *frame = queue_reserve(&channel.out, FRAME_HEADER_SIZE + MAX_PAYLOAD);
		size_t filled = 0;

		count = 1;
		while (filled < MAX_PAYLOAD) {
			count = read(fd, frame + FRAME_HEADER_SIZE + filled, MAX_PAYLOAD - filled);
			if (count < 0 && errno == EINTR)
				continue;
			if (count <= 0)
				break;
			filled += (size_t)count;
		}
		if (count < 0) {
			int error = errno;

			close(fd);
			queue_truncate(&channel.out, queued_before);
			send_error(id, "read %s: %s", path, strerror(error));
			return;
		}
		total += filled;
		if (total > MAX_READ_FILE) {
			close(fd);
			queue_truncate(&channel.out, queued_before);
			send_error(id, "%s is larger than %u MiB, the most READ_FILE returns", path,
				   MAX_READ_FILE >> 20);
			return;
		}
		if (filled > 0) {
			put_header(frame, FRAME_DATA, id, (uint32_t)filled);
			channel.out.tail += FRAME_HEADER_SIZE + filled;
		}
	} while (count > 0);
	close(fd);
	send_frame(FRAME_OK, id, NULL, 0);
}

static void handle_frame(uint8_t type, uint32_t id, uint8_t *payload, size_t length)
{
	switch (type) {
	case FRAME_SPAWN:
		handle_spawn(id, payload, length, false);
		break;
	case FRAME_SPAWN_TERMINAL:
		handle_spawn(id, payload, length, true);
		break;
	case FRAME_RESIZE:
		handle_resize(id, payload, length);
		break;
	case FRAME_STDIN:
		handle_stdin(id, payload, length);
		break;
	case FRAME_SIGNAL:
		handle_signal(id, payload, length);
		break;
	case FRAME_WRITE_FILE:
		handle_write_file(id, payload, length);
		break;
	case FRAME_APPEND_FILE:
		handle_append_file(id, payload, length);
		break;
	case FRAME_READ_FILE:
		handle_read_file(id, payload, length);
		break;
	default:
		send_error(id, "unknown frame type %u", type);
		break;
	}
}

static void handle_channel_input(void)
{
	struct byte_queue *in = &channel.in;

	for (;;) {
		size_t available = queue_length(in);
		uint8_t *header;
		uint32_t length;

		if (channel.input_to_skip > 0) {
			size_t skipped = available < channel.input_to_skip ? available : channel.input_to_skip;

			if (skipped == 0)
				return;
			queue_consume(in, skipped);
			channel.input_to_skip -= skipped;
			continue;
		}
		if (available < FRAME_HEADER_SIZE)
			return;
		header = in->data + in->head;
		length = get_le32(header + 5);
		if (length > MAX_PAYLOAD) {
			/* The length still tells where the next frame starts: skip this one. */
			send_error(get_le32(header + 1), "frame of %u bytes is over the 1 MiB limit", length);
			queue_consume(in, FRAME_HEADER_SIZE);
			channel.input_to_skip = length;
			continue;
		}
		if (available < FRAME_HEADER_SIZE + length)
			return;
		handle_frame(header[0], get_le32(header + 1), header + FRAME_HEADER_SIZE, length);
		queue_consume(in, FRAME_HEADER_SIZE + length);
	}
}

/* ---- the channel ---- */

static bool channel_paused(int64_t now)
{
	return now < channel.paused_until_ms;
}

/* Forgets everything about the host that went away and kills what it started. */
static void end_session(void)
{
	for (int i = 0; i < MAX_PROCESSES; i++) {
		if (!processes[i].in_use)
			continue;
		kill(-processes[i].pid, SIGKILL);
		if (processes[i].terminal)
			signal_session(processes[i].pid, SIGKILL);
		release_process(&processes[i]);
	}
	queue_free(&channel.in);
	queue_free(&channel.out);
	channel.input_to_skip = 0;
	channel.reached_host = false;
}

static void channel_lost(void)
{
	switch (channel.mode) {
	case MODE_STDIO:
		end_session();
		exit(0);
	case MODE_LISTEN:
		end_session();
		close(channel.in_fd);
		channel.in_fd = channel.out_fd = -1;
		break;
	case MODE_DEVICE:
		/*
		 * A virtio-serial port reads EOF while no host has it open. If a host had it, that
		 * host is gone; the next one starts a fresh session with a new HELLO.
		 */
		if (channel.reached_host) {
			end_session();
			send_hello();
		}
		channel.paused_until_ms = now_ms() + DEVICE_RETRY_MS;
		break;
	}
}

static void flush_channel(void)
{
	struct byte_queue *out = &channel.out;

	while (host_connected() && !channel_paused(now_ms()) && queue_length(out) > 0) {
		ssize_t count = write(channel.out_fd, out->data + out->head, queue_length(out));

		if (count > 0) {
			queue_consume(out, (size_t)count);
			channel.reached_host = true;
		} else if (count < 0 && errno == EINTR) {
			continue;
		} else if (count < 0 && errno == EAGAIN) {
			return;
		} else {
			channel_lost();
			return;
		}
	}
}

static void read_channel(void)
{
	ssize_t count = read(channel.in_fd, queue_reserve(&channel.in, CHANNEL_READ_SIZE),
			     CHANNEL_READ_SIZE);

	if (count > 0) {
		channel.in.tail += (size_t)count;
		handle_channel_input();
	} else if (count == 0 || (errno != EAGAIN && errno != EINTR)) {
		channel_lost();
	}
}

static void accept_connection(void)
{
	int fd = accept4(channel.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			fprintf(stderr, "bpflab-agent: accept: %s\n", strerror(errno));
		return;
	}
	channel.in_fd = channel.out_fd = fd;
	send_hello();
}

/* ---- the poll loop ---- */

enum poll_target_kind {
	TARGET_SIGNALS,
	TARGET_LISTENER,
	TARGET_CHANNEL_IN,
	TARGET_CHANNEL_OUT,
	TARGET_STDIN,
	TARGET_STDOUT,
	TARGET_STDERR,
};

struct poll_target {
	enum poll_target_kind kind;
	struct process *process;
};

#define MAX_POLL_FDS (4 + 3 * MAX_PROCESSES)

struct poll_set {
	struct pollfd fds[MAX_POLL_FDS];
	struct poll_target targets[MAX_POLL_FDS];
	int count;
};

static void watch(struct poll_set *set, int fd, short events, enum poll_target_kind kind,
		  struct process *process)
{
	set->fds[set->count] = (struct pollfd){ .fd = fd, .events = events };
	set->targets[set->count] = (struct poll_target){ .kind = kind, .process = process };
	set->count++;
}

static void build_poll_set(struct poll_set *set, int64_t now)
{
	set->count = 0;
	watch(set, signal_fd, POLLIN, TARGET_SIGNALS, NULL);
	if (channel.mode == MODE_LISTEN && !host_connected())
		watch(set, channel.listen_fd, POLLIN, TARGET_LISTENER, NULL);
	if (host_connected() && !channel_paused(now)) {
		watch(set, channel.in_fd, POLLIN, TARGET_CHANNEL_IN, NULL);
		if (queue_length(&channel.out) > 0)
			watch(set, channel.out_fd, POLLOUT, TARGET_CHANNEL_OUT, NULL);
	}
	for (int i = 0; i < MAX_PROCESSES; i++) {
		struct process *process = &processes[i];

		if (!process->in_use)
			continue;
		if (process->stdin_fd >= 0 && queue_length(&process->stdin_pending) > 0)
			watch(set, process->stdin_fd, POLLOUT, TARGET_STDIN, process);
		if (channel_backlogged())
			continue;
		if (process->stdout_fd >= 0)
			watch(set, process->stdout_fd, POLLIN, TARGET_STDOUT, process);
		if (process->stderr_fd >= 0)
			watch(set, process->stderr_fd, POLLIN, TARGET_STDERR, process);
	}
}

static int poll_timeout_ms(int64_t now)
{
	int64_t wake_at = next_heartbeat_ms;

	if (channel_paused(now) && channel.paused_until_ms < wake_at)
		wake_at = channel.paused_until_ms;
	if (!channel_backlogged()) {
		for (int i = 0; i < MAX_PROCESSES; i++) {
			const struct process *process = &processes[i];
			int64_t deadline = process->reaped_at_ms + EXIT_GRACE_MS;

			if (process->in_use && process->reaped && deadline < wake_at)
				wake_at = deadline;
		}
	}
	return wake_at <= now ? 0 : (int)(wake_at - now);
}

/* Handlers earlier in the same round may have closed or reused a watched fd; skip those. */
static void dispatch(const struct pollfd *fd, const struct poll_target *target)
{
	struct process *process = target->process;

	switch (target->kind) {
	case TARGET_SIGNALS:
		reap_children();
		break;
	case TARGET_LISTENER:
		if (!host_connected())
			accept_connection();
		break;
	case TARGET_CHANNEL_IN:
		if (channel.in_fd == fd->fd && !channel_paused(now_ms()))
			read_channel();
		break;
	case TARGET_CHANNEL_OUT:
		flush_channel();
		break;
	case TARGET_STDIN:
		if (process->in_use && process->stdin_fd == fd->fd)
			write_stdin(process);
		break;
	case TARGET_STDOUT:
		if (process->in_use && process->stdout_fd == fd->fd)
			read_output(process, &process->stdout_fd, FRAME_STDOUT);
		break;
	case TARGET_STDERR:
		if (process->in_use && process->stderr_fd == fd->fd)
			read_output(process, &process->stderr_fd, FRAME_STDERR);
		break;
	}
}

static void run(void)
{
	static struct poll_set set;

	for (;;) {
		int64_t now = now_ms();

		close_pipes_held_open(now);
		send_heartbeat_if_due(now);
		flush_channel();
		build_poll_set(&set, now);
		if (poll(set.fds, (nfds_t)set.count, poll_timeout_ms(now)) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		for (int i = 0; i < set.count; i++)
			if (set.fds[i].revents)
				dispatch(&set.fds[i], &set.targets[i]);
	}
}

/* ---- start-up ---- */

/* New pipes must not land on 0-2 (possibly closed when we are PID 1): dup2 relies on it. */
static void ensure_standard_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0)
			die("cannot open /dev/null: %s", strerror(errno));
}

static void open_listener(const char *path)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(address.sun_path))
		die("socket path too long: %s", path);
	strcpy(address.sun_path, path);
	channel.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (channel.listen_fd < 0)
		die("socket: %s", strerror(errno));
	if (unlink(path) < 0 && errno != ENOENT)
		die("unlink %s: %s", path, strerror(errno));
	if (bind(channel.listen_fd, (struct sockaddr *)&address, sizeof(address)) < 0)
		die("bind %s: %s", path, strerror(errno));
	if (listen(channel.listen_fd, 4) < 0)
		die("listen %s: %s", path, strerror(errno));
}

static void open_channel(int argc, char **argv)
{
	const char *usage = "usage: bpflab-agent --stdio | --device PATH | --listen PATH";

	channel.in_fd = channel.out_fd = channel.listen_fd = -1;
	if (argc == 2 && strcmp(argv[1], "--stdio") == 0) {
		channel.mode = MODE_STDIO;
		channel.in_fd = STDIN_FILENO;
		channel.out_fd = STDOUT_FILENO;
		if (set_nonblocking(channel.in_fd) < 0 || set_nonblocking(channel.out_fd) < 0)
			die("fcntl O_NONBLOCK on stdin/stdout: %s", strerror(errno));
		send_hello();
	} else if (argc == 3 && strcmp(argv[1], "--device") == 0) {
		channel.mode = MODE_DEVICE;
		channel.in_fd = open(argv[2], O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (channel.in_fd < 0)
			die("open %s: %s", argv[2], strerror(errno));
		channel.out_fd = channel.in_fd;
		send_hello();
	} else if (argc == 3 && strcmp(argv[1], "--listen") == 0) {
		channel.mode = MODE_LISTEN;
		open_listener(argv[2]);
	} else {
		fprintf(stderr, "%s\n", usage);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	sigset_t child_signals;

	ensure_standard_fds();
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&child_signals);
	sigaddset(&child_signals, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &child_signals, NULL) < 0)
		die("sigprocmask: %s", strerror(errno));
	signal_fd = signalfd(-1, &child_signals, SFD_NONBLOCK | SFD_CLOEXEC);
	if (signal_fd < 0)
		die("signalfd: %s", strerror(errno));
	open_channel(argc, argv);
	next_heartbeat_ms = now_ms() + HEARTBEAT_MS;
	run();
}
