/**
 * Runs the real DynamoDB Local engine (the jar shipped by the `amplify-dynamodb-simulator` npm
 * package) with the machine's Java, and creates tables from a synthesized CDK template.
 *
 * Java is never started directly: a tiny `sh` watchdog starts it and kills it as soon as the
 * watchdog's stdin (a pipe from this Node process) closes. The pipe closes however this process
 * ends, including SIGKILL or a crash, so a dead parent never leaves a Java process holding the port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

type DynamoDbSdk = typeof import('@aws-sdk/client-dynamodb');
/*
 * The SDK is loaded once Java is launched, not before: its import costs 0.1–0.25 s of CPU, and Java's
 * start is on the critical path of `npm start` (measured on a 2-core machine: bench startUp).
 */
let sdk: DynamoDbSdk | undefined;
const loadSdk = async (): Promise<DynamoDbSdk> => (sdk ??= await import('@aws-sdk/client-dynamodb'));

export interface DynamoDbLocalOptions {
  /** TCP port; 0 or absent picks a free one. A taken port is an error, never a silent reuse. */
  port?: number;
  /** Keep data in this directory (`-dbPath`); absent = in memory (`-inMemory`). */
  persistDir?: string;
  /** The `java` executable; default `java` from PATH. */
  javaPath?: string;
  /** Directory holding DynamoDBLocal.jar and DynamoDBLocal_lib; default the one in amplify-dynamodb-simulator. */
  jarDir?: string;
  /** JVM options placed before `-jar`; default FAST_START_JVM_OPTIONS (`[]`: the JVM's own defaults). */
  javaOptions?: string[];
  /** How long to wait for the first successful ListTables; default 30 s (a loaded 2-core machine is slow). */
  startTimeoutMs?: number;
}

/** Credentials and region DynamoDB Local accepts; with `-sharedDb` every client sees the same tables. */
export const DYNAMODB_LOCAL_REGION = 'us-east-1';
export const DYNAMODB_LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * JVM options for a DynamoDB Local that starts often and lives seconds to minutes (a test file, a dev
 * session): the client compiler only (C1, no C2 compile threads) and the serial collector. On this
 * 2-core machine (`npm run bench -- dynamoDbLocalJvm`, docs/benchmarks.md section 10) Java starts in half
 * the time (median 9.5 s → 4.8 s under load) and uses 0.54× the CPU for start + 400 transactions + reads,
 * with the workload itself faster too; still ahead at 4 000 transactions. DynamoDB Local's time is in
 * SQLite and request handling, where C2's later gains never pay for its compilations.
 */
export const FAST_START_JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export const JAVA_MISSING_MESSAGE = 'DynamoDB Local needs Java 11+: install a JDK (apt-get install default-jre-headless)';

const WATCHDOG_PID_PREFIX = 'dynamodb-local-java-pid ';

/*
 * The watchdog. $1 is java, the rest its arguments. Java runs in the background with stdin from
 * /dev/null; a subshell blocks reading our stdin (saved as fd 3) and kills Java when it reaches EOF,
 * which happens when the parent closes the pipe (stop) or dies in any way. SIGTERM/SIGINT/SIGHUP to
 * the watchdog are passed on to Java. The watchdog exits with Java's status.
 */
const WATCHDOG_SCRIPT = `
command -v "$1" >/dev/null 2>&1 || exit 127
exec 3<&0
"$@" </dev/null 3<&- &
java_pid=$!
echo "${WATCHDOG_PID_PREFIX}$java_pid" >&2
( read -r _ignored <&3; kill -TERM "$java_pid" 2>/dev/null; sleep 5; kill -KILL "$java_pid" 2>/dev/null ) &
watcher_pid=$!
exec 3<&-
trap 'kill -TERM "$java_pid" 2>/dev/null' TERM INT HUP
while :; do
  wait "$java_pid"
  status=$?
  kill -0 "$java_pid" 2>/dev/null || break
done
kill "$watcher_pid" 2>/dev/null
exit $status
`;

/** Every Java process started by this Node process, killed synchronously on `exit`. */
const runningJavaPids = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  // Belt and braces: the watchdog already stops Java when our pipe closes; this is faster on a clean
  // exit. SIGTERM lets Java close a persisted database cleanly; the watchdog follows up with SIGKILL.
  process.on('exit', () => {
    for (const pid of runningJavaPids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  });
}

/** The directory of the DynamoDB Local jar bundled with amplify-dynamodb-simulator. */
export function defaultJarDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/**
 * One running DynamoDB Local. Start with {@link DynamoDbLocal.start}, always {@link DynamoDbLocal.stop}.
 *
 * @example
 * const db = await DynamoDbLocal.start();            // in memory, free port
 * const client = db.createClient();
 * await createTablesFromTemplate(client, template.Resources);
 * await db.stop();
 */
export class DynamoDbLocal {
  /** `http://127.0.0.1:<port>`: give it to the SDK as `endpoint`. */
  readonly endpoint: string;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly port: number,
    /** PID of the Java process itself (not of its watchdog). */
    readonly javaPid: number,
    private readonly watchdog: ChildProcess,
    /** Settles with Java's exit code when it ends, whether by stop() or on its own (a crash). */
    readonly exited: Promise<number | null>,
    /** Milliseconds from spawn to the first successful ListTables. */
    readonly startupMs: number,
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  /** Starts DynamoDB Local and resolves once it answers ListTables. */
  static async start(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
    const jarDir = options.jarDir ?? defaultJarDir();
    if (!existsSync(path.join(jarDir, 'DynamoDBLocal.jar'))) {
      throw new Error(
        `DynamoDB Local jar not found: ${path.join(jarDir, 'DynamoDBLocal.jar')}. It ships with the amplify-dynamodb-simulator npm package: run npm install.`,
      );
    }
    if (options.persistDir) {
      mkdirSync(options.persistDir, { recursive: true });
    }
    const fixedPort = options.port !== undefined && options.port !== 0 ? options.port : undefined;
    // A free port found by us can be taken before Java binds it: retry a few times with a new one.
    for (let attempt = 1; ; attempt += 1) {
      const port = fixedPort ?? (await findFreePort());
      if (fixedPort !== undefined && !(await isPortFree(fixedPort))) {
        throw portTakenError(fixedPort);
      }
      try {
        return await DynamoDbLocal.launch(port, jarDir, options);
      } catch (error) {
        if (error instanceof PortTakenError && fixedPort === undefined && attempt < 3) {
          continue;
        }
        throw error;
      }
    }
  }

  private static async launch(port: number, jarDir: string, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
    const javaArgs = [
      ...(options.javaOptions ?? FAST_START_JVM_OPTIONS),
      `-Djava.library.path=${path.join(jarDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(jarDir, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      ...(options.persistDir ? ['-dbPath', path.resolve(options.persistDir)] : ['-inMemory']),
      // One database for every access key and region, so all clients see the same tables.
      '-sharedDb',
      '-disableTelemetry',
    ];
    const startedAt = Date.now();
    const watchdog = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'dynamodb-local-watchdog', options.javaPath ?? 'java', ...javaArgs], {
      cwd: jarDir,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C in a terminal reaches only us, and we decide when Java stops
      // (after in-flight requests), through the pipe.
      detached: true,
    });
    installExitHook();
    let output = '';
    let javaPid: number | undefined;
    const exited = new Promise<number | null>((resolve) => {
      watchdog.on('exit', (code) => resolve(code));
      watchdog.on('error', () => resolve(null));
    });
    const onOutput = (chunk: Buffer): void => {
      // Keep only the tail: the banner and any startup error are all we report.
      output = (output + chunk.toString()).slice(-8_000);
      if (javaPid === undefined) {
        const match = new RegExp(`${WATCHDOG_PID_PREFIX}(\\d+)`).exec(output);
        if (match) {
          const pid = Number(match[1]);
          javaPid = pid;
          runningJavaPids.add(pid);
          // Once Java has exited its PID may be reused: the exit hook must not signal it any more.
          void exited.then(() => runningJavaPids.delete(pid));
        }
      }
    };
    watchdog.stdout!.on('data', onOutput);
    watchdog.stderr!.on('data', onOutput);
    // Our end of the pipe must not keep the event loop alive, nor crash us if the watchdog is gone.
    watchdog.stdin!.on('error', () => undefined);
    const unref = (stream: unknown): void => (stream as { unref?: () => void } | null)?.unref?.();
    unref(watchdog.stdin);
    unref(watchdog.stdout);
    unref(watchdog.stderr);
    watchdog.unref();

    const endpoint = `http://127.0.0.1:${port}`;
    await loadSdk();
    const client = newLocalClient(endpoint, 1_000);
    const deadline = startedAt + (options.startTimeoutMs ?? 30_000);
    let exitCode: number | null | undefined;
    void exited.then((code) => {
      exitCode = code;
    });
    try {
      for (;;) {
        if (exitCode !== undefined) {
          if (javaPid !== undefined) {
            runningJavaPids.delete(javaPid);
          }
          throw startupError(exitCode, output, port);
        }
        if (javaPid !== undefined && (await answersListTables(client))) {
          break;
        }
        if (Date.now() > deadline) {
          await terminate(watchdog, exited, javaPid);
          throw new Error(
            `DynamoDB Local did not answer on port ${port} within ${options.startTimeoutMs ?? 30_000} ms. Output:\n${output}`,
          );
        }
        await sleep(100);
      }
    } finally {
      client.destroy();
    }
    return new DynamoDbLocal(port, javaPid!, watchdog, exited, Date.now() - startedAt);
  }

  /** A DynamoDB client for this instance (the caller destroys it). */
  createClient(): DynamoDBClient {
    return newLocalClient(this.endpoint);
  }

  /** Stops Java and resolves once both Java and its watchdog have exited. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= terminate(this.watchdog, this.exited, this.javaPid).then(() => {
      runningJavaPids.delete(this.javaPid);
    });
    return this.stopping;
  }
}

class PortTakenError extends Error {}

function portTakenError(port: number): PortTakenError {
  return new PortTakenError(
    `Port ${port} is taken: DynamoDB Local cannot listen on it. Another server uses it (a DynamoDB Local left by an earlier run? see \`pgrep -af DynamoDBLocal\`); choose another port or 0 for a free one.`,
  );
}

function startupError(exitCode: number | null, output: string, port: number): Error {
  if (exitCode === 127) {
    return new Error(JAVA_MISSING_MESSAGE);
  }
  if (/UnsupportedClassVersionError/.test(output)) {
    return new Error(`${JAVA_MISSING_MESSAGE} (the java on PATH is too old)`);
  }
  if (/BindException|Address already in use/.test(output)) {
    return portTakenError(port);
  }
  return new Error(`DynamoDB Local exited during startup (exit code ${exitCode}). Output:\n${output}`);
}

async function terminate(watchdog: ChildProcess, exited: Promise<number | null>, javaPid: number | undefined): Promise<void> {
  if (watchdog.exitCode === null && watchdog.signalCode === null) {
    // Closing the pipe is the watchdog's signal: it sends Java SIGTERM, then SIGKILL after 5 s.
    watchdog.stdin?.end();
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), 10_000);
    }),
  ]);
  // A pending timer would keep the process alive for 10 s after stop().
  clearTimeout(timer);
  if (timedOut) {
    killQuietly(javaPid);
    watchdog.kill('SIGKILL');
    await exited;
  }
  // Java exits before its watchdog; make sure of it even if the watchdog was killed from outside.
  killQuietly(javaPid);
}

function killQuietly(pid: number | undefined): void {
  if (pid === undefined) {
    return;
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Only once `loadSdk` has resolved: every DynamoDbLocal instance was launched after it. */
function newLocalClient(endpoint: string, requestTimeout = 5_000): DynamoDBClient {
  return new sdk!.DynamoDBClient({
    endpoint,
    region: DYNAMODB_LOCAL_REGION,
    credentials: DYNAMODB_LOCAL_CREDENTIALS,
    maxAttempts: 1,
    // throwOnRequestTimeout: otherwise the SDK only warns and keeps waiting.
    requestHandler: { connectionTimeout: 1_000, requestTimeout, throwOnRequestTimeout: true },
  });
}

async function answersListTables(client: DynamoDBClient): Promise<boolean> {
  try {
    await client.send(new sdk!.ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.on('error', () => resolve(false));
    // No host: the dual-stack wildcard, which is where Java binds too.
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

export { createTablesFromTemplate, type TemplateResource } from './templateTables.ts';
