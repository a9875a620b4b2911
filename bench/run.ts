/**
 * `npm run bench` (issue 14): measures, in one run on this machine, the
 * extension in Chromium (the headline rows) and in Firefox ESR beside them, the engine in Node (the CLI) and
 * what a user could use instead (Info-ZIP, scripted pipelines), and writes
 * BENCHMARKS.md with the ratios and the targets side by side:
 *   P1 the zip stage on local data (bench/zip.ts);
 *   P3 end to end, nginx WebDAV on loopback → archive → upload back;
 *   P5 many small files over HTTP/1.1 and HTTP/2 (nginx with TLS);
 *   P4 the browser's memory (summed Pss) above the idle browser;
 *   P6 responsiveness against the Cloudreve sandbox (bench/responsiveness.ts).
 * Data sets are generated at run time into a temp dir and removed afterwards.
 *
 *   npm run bench                      the full run (about 40 min on the 2-core machine)
 *   npm run bench -- --quick           small data sets, one run each (a few minutes; development)
 *   npm run bench -- --only=p1,p6      some sections only (BENCHMARKS.md is then written to a temp file)
 *   npm run bench -- --no-firefox      without the Firefox rows (quicker; they are measured in the same
 *                                      run as the Chromium rows otherwise: P1, P3, P3's memory, P6's click)
 */
import { execFile } from 'node:child_process';
import { readFileSync, statfsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { chromiumPath } from '../tools/chromium';
import { firefoxPath } from '../tools/firefox';
import { startNginx, type DavServer } from '../tools/dav-servers';
import { makeSelfSignedCert } from '../tools/tls-cert';
import {
  MEDIA_SUFFIXES,
  makeBigMedia,
  makeMixedSet,
  makeRandomBinSet,
  makeSmallFiles,
  makeSparseMedia,
  type DataSet,
} from './datasets';
import { runEngine, type CliReport } from './engine-cli';
import { openExtensionSession, type ExtensionOptions, type ExtensionRun } from './extension-e2e';
import { openFirefoxSession } from './firefox-e2e';
import { scriptedPipeline, type PipelineRun } from './pipelines';
import { firefoxClickToTask } from './firefox-responsiveness';
import { measureResponsiveness } from './responsiveness';
import { benchZip, CHOICES, formatBenchTable, type ZipBench } from './zip';

const run = promisify(execFile);
const argv = process.argv.slice(2);
const quick = argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const only = argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (section: string) => !only || only.includes(section);
/** Firefox rows beside the Chromium ones (bench/firefox-*.ts), unless `--no-firefox`. */
const withFirefox = !argv.includes('--no-firefox') && process.env.BENCH_FIREFOX !== '0';
/** A Firefox cell where Firefox was not measured in this run. */
const NO_FIREFOX = withFirefox ? '— (not measured)' : '— (`--no-firefox`)';
/** Runs per cheap measurement (the table shows the median); the shared VM's timings wander by ±30 %. */
const RUNS = Number(process.env.BENCH_RUNS ?? (quick ? 1 : 3));
const GiB = 2 ** 30;
const MiB = 2 ** 20;
const SIZES = quick
  ? { media: 4, texts: 300, bins: 2, bigCount: 2, bigSize: 32 * MiB, small: 2_000, memory: GiB }
  : { media: 28, texts: 3_000, bins: 16, bigCount: 4, bigSize: 256 * MiB, small: 20_000, memory: 8 * GiB };

/** A Firefox archive still running after this long is recorded as failed (Chromium archives 1 GiB in under a minute here). */
const FIREFOX_JOB_TIMEOUT_MS = 300_000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmtS = (seconds: number) => `${seconds.toFixed(2)} s`;
const fmtMiB = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
const met = (ok: boolean) => (ok ? 'yes' : '**no**');
/** Load averages seen when each section started: the machine is shared, and this says how busy it was. */
const loads: string[] = [];
const log = (message: string) => {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
  if (!message.startsWith('  ')) loads.push(loadavg()[0]!.toFixed(1));
};

/** The summary: one line per target, filled by the sections as they run. */
const summary: string[] = [];
const sections: string[] = [];
const dataSets: string[] = [];

function describe(label: string, set: DataSet): void {
  dataSets.push(`- **${label}**: ${set.description} — ${set.files.toLocaleString('en')} files, ${fmtMiB(set.bytes)}`);
}

async function machine(): Promise<string> {
  const version = async (command: string, args: string[]) =>
    (
      await run(command, args).then(
        (r) => r.stdout + r.stderr,
        () => 'not found',
      )
    )
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? '';
  return [
    `- CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores; memory ${(totalmem() / GiB).toFixed(1)} GiB. ` +
      'The machine is shared with other work (several sessions build and test at once), so timings wander; ' +
      (RUNS > 1
        ? `every cheap measurement ran ${RUNS} times and the tables show the median.`
        : 'this run measured everything ONCE (BENCH_RUNS=1): read small differences as noise.'),
    `- Node ${process.version}; ${await version('zip', ['-v'])}; ${await version('rclone', ['version'])}; ` +
      `${await version('curl', ['--version'])}; ${await version('nginx', ['-v'])}`,
    `- ${await version(chromiumPath(), ['--version'])}, headless, loading the built extension (.output/chrome-mv3)`,
    ...(withFirefox
      ? [
          `- ${await version(firefoxPath(), ['--version'])}, headless, driven by puppeteer-core over WebDriver BiDi, ` +
            'loading the built add-on (.output/firefox-mv3)',
        ]
      : []),
    `- Load average (1 min) on this ${cpus().length}-core machine as each step started: ${loads.join(', ')} — ` +
      'a load above the core count means other work shared the machine during the run, and every time in it ' +
      'is slower than on an idle machine.',
    `- Date: ${new Date().toISOString()}; mode: ${quick ? "`--quick` (small data sets, NOT the issue's sizes)" : 'full'}; runs per cheap measurement: ${RUNS}` +
      (process.env.BENCH_MEMORY_GIB ? `; BENCH_MEMORY_GIB=${process.env.BENCH_MEMORY_GIB}` : ''),
  ].join('\n');
}

/** Lists the files under `dir`, relative to `base`. */
async function filesUnder(dir: string, base: string): Promise<string[]> {
  const { stdout } = await run('find', [dir, '-type', 'f'], { maxBuffer: 256 * MiB });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((file) => relative(base, file))
    .sort();
}

let mixed: Promise<{ dir: string; set: DataSet }> | undefined;

/** The mixed set, made once per run under `work` (P1 zips it there, P3 copies it onto the server). */
function mixedSet(work: string): Promise<{ dir: string; set: DataSet }> {
  return (mixed ??= (async () => {
    const dir = join(work, 'mixed');
    const set = await makeMixedSet(dir, SIZES.media, SIZES.texts);
    describe('mixed', set);
    return { dir, set };
  })());
}

/** P1: the zip stage, on the mixed set and the random .bin set. */
async function zipStage(work: string): Promise<void> {
  log('P1 zip stage: generating data…');
  const mixedDir = (await mixedSet(work)).dir;
  const binDir = join(work, 'p1-bin');
  describe('random .bin', await makeRandomBinSet(binDir, SIZES.bins));
  log('P1 zip stage: mixed set…');
  const browsers = { chromium: true, firefox: withFirefox };
  const mixed = await benchZip(
    mixedDir,
    join(work, 'p1-out'),
    [CHOICES.store, CHOICES.auto6, CHOICES.auto1],
    RUNS,
    browsers,
  );
  log('P1 zip stage: random .bin set…');
  const bin = await benchZip(binDir, join(work, 'p1-out'), [CHOICES.auto6, CHOICES.auto1], RUNS, browsers);
  await rm(binDir, { recursive: true, force: true });

  const lines = [
    '| Data set | Compression | Extension in Chromium | Extension in Firefox | Engine in Node (CLI) | Info-ZIP | Chromium speed vs Info-ZIP (target) | Firefox speed vs Info-ZIP (size) | Node speed vs Info-ZIP | Chromium size vs Info-ZIP (target ≤ 1.02×) | Met (Chromium) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const add = (label: string, bench: ZipBench) => {
    for (const { choice, chromium, firefox, node, infoZip } of bench.results) {
      const target = choice.label === 'store' ? 1.0 : 1.2;
      const speed = chromium ? infoZip.seconds / chromium.seconds : NaN;
      const size = chromium ? chromium.outputBytes / infoZip.outputBytes : NaN;
      const ok = speed >= target && (choice.label === 'store' || size <= 1.02);
      const firefoxSpeed = firefox
        ? `${ratio(infoZip.seconds / firefox.seconds)} (size ${ratio(firefox.outputBytes / infoZip.outputBytes)})`
        : NO_FIREFOX;
      const firefoxTime = firefox ? fmtS(firefox.seconds) : NO_FIREFOX;
      const row =
        `| ${label} | ${choice.label} (Info-ZIP \`${choice.infoZip.map((a) => (a.includes(':') ? '<media>' : a)).join(' ')}\`) ` +
        `| ${fmtS(chromium?.seconds ?? NaN)} | ${firefoxTime} | ${fmtS(node.seconds)} | ${fmtS(infoZip.seconds)} ` +
        `| ${ratio(speed)} (≥ ${target.toFixed(1)}×) | ${firefoxSpeed} | ${ratio(infoZip.seconds / node.seconds)} | ${ratio(size)} | ${met(ok)} |`;
      lines.push(row);
      summary.push(
        `| P1 zip stage, ${label}, ${choice.label} | ${fmtS(chromium?.seconds ?? NaN)} | ${firefox ? `${firefoxTime}: ${firefoxSpeed}` : NO_FIREFOX} | ${fmtS(node.seconds)} | Info-ZIP ${fmtS(infoZip.seconds)} | ${ratio(speed)} faster, size ${ratio(size)} | ≥ ${target.toFixed(1)}×${choice.label === 'store' ? '' : ', size ≤ 1.02×'} | ${met(ok)} |`,
      );
    }
  };
  add('mixed', mixed);
  add('random .bin', bin);
  sections.push(
    '## P1. Zip stage (local data → archive)',
    '',
    "Each compression choice made the same way on the same local data: the extension's zip stage in Chromium (the " +
      'same lib/ modules as the extension, built into a page on loopback: read-ahead, writer, default deflater, ' +
      'OPFS spool; input preloaded in memory, as Info-ZIP reads a warm page cache), ' +
      (withFirefox ? 'the same page in Firefox ESR (bench/firefox-zip.ts), ' : '') +
      'our engine in Node ' +
      '(node:zlib), and Info-ZIP `zip -r` with the same choice (`<media>` = `' +
      MEDIA_SUFFIXES.join(':') +
      "`). The writers take turns, run after run. Speed ratio = Info-ZIP's time ÷ ours (above 1 is faster); " +
      'the targets and "Met" are for Chromium, the headline. Every archive passed `unzip -t` ' +
      '(see the detail tables).',
    '',
    ...lines,
    '',
    `### Mixed set, every writer`,
    '',
    formatBenchTable(mixed, RUNS),
    '',
    '### Random .bin set, every writer',
    '',
    formatBenchTable(bin, RUNS),
    '',
  );
}

interface EndToEnd {
  extension: ExtensionRun[];
  /** The same archives by the add-on in Firefox (empty unless asked for). */
  firefox: ExtensionRun[];
  /** Why Firefox stopped early, when it did (its rows then say so instead of sinking the whole run). */
  firefoxFailure?: string;
  cli: CliReport[];
  pipelines: PipelineRun[];
}

/** Runs the extension, the CLI and the scripted pipelines `runs` times each over `source` on `server`. */
async function endToEnd(
  server: DavServer,
  source: string,
  zipArgs: string[],
  runs: number,
  work: string,
  options: { extension?: ExtensionOptions; cli?: boolean; pipelines?: boolean; firefox?: boolean } = {},
): Promise<EndToEnd> {
  const files = await filesUnder(join(server.dataDir, source), server.dataDir);
  const result: EndToEnd = { extension: [], firefox: [], cli: [], pipelines: [] };
  const removeArchive = (name: string) => rm(join(server.dataDir, name), { force: true });
  /** One archive by the extension in a browser, checked with `unzip -t` before it is removed. */
  const checked = async (archive: Promise<ExtensionRun>, name: string) => {
    const archived = await archive;
    await run('unzip', ['-tqq', join(server.dataDir, name)], { maxBuffer: 64 * MiB });
    await removeArchive(name);
    return archived;
  };
  const session = await openExtensionSession(server, { timeoutMs: 3_600_000, ...options.extension });
  let firefox = options.firefox
    ? await openFirefoxSession(server, {
        timeoutMs: FIREFOX_JOB_TIMEOUT_MS,
        compression: options.extension?.compression,
      }).catch(async (error: unknown) => {
        await session.close();
        throw error;
      })
    : undefined;
  try {
    // They take turns, run after run, so each sees the same mix of the shared machine's busy and quiet minutes.
    for (let i = 0; i < runs; i++) {
      log(`  extension ${source} run ${i + 1}/${runs}…`);
      const name = `bench-extension-${i}.zip`;
      result.extension.push(await checked(session.archive(source, name), name));
      if (firefox) {
        log(`  Firefox ${source} run ${i + 1}/${runs}…`);
        const name = `bench-firefox-${i}.zip`;
        try {
          result.firefox.push(await checked(firefox.archive(source, name), name));
        } catch (error) {
          // Recorded, and no more Firefox runs of this set: the Chromium rows are the headline.
          result.firefoxFailure = (error as Error).message.slice(0, 600);
          log(`  Firefox ${source} run ${i + 1} failed: ${result.firefoxFailure}`);
          await firefox.close();
          firefox = undefined;
          await removeArchive(name);
        }
      }
      if (options.cli !== false) {
        log(`  CLI ${source} run ${i + 1}/${runs}…`);
        result.cli.push(await runEngine(server, source, `bench-cli-${i}.zip`));
        await removeArchive(`bench-cli-${i}.zip`);
      }
      if (options.pipelines !== false) {
        log(`  scripted pipelines ${source} run ${i + 1}/${runs}…`);
        const name = `bench-scripted-${i}.zip`;
        result.pipelines.push(await scriptedPipeline(server, source, files, zipArgs, name, join(work, 'pipeline')));
        await removeArchive(name);
      }
    }
  } finally {
    await session.close();
    await firefox?.close();
  }
  return result;
}

const phasesOf = (run: ExtensionRun) =>
  Object.entries(run.phases)
    .map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s`)
    .join(', ');

/** The run whose time is the median, for its phase breakdown. */
const medianRun = (runs: ExtensionRun[]) => {
  const seconds = median(runs.map((r) => r.seconds));
  return runs.find((r) => r.seconds === seconds)!;
};

/** Where the peak's memory sits, per kind of Chromium process, against the idle browser: "renderer (extension) +120 MiB, …". */
const growthByKind = (run: ExtensionRun) =>
  Object.entries(run.memory.peakByKind)
    .map(([kind, bytes]) => [kind, bytes - (run.memory.idleByKind[kind] ?? 0)] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, bytes]) => `${kind} ${bytes >= 0 ? '+' : '−'}${fmtMiB(Math.abs(bytes))}`)
    .join(', ');

/** Peak Pss above idle over the runs. */
const overIdle = (runs: ExtensionRun[]) => Math.max(...runs.map((r) => r.memory.peak - r.memory.idle));

/** P3 end to end, P5 small files (HTTP/1.1), P4 memory: one nginx WebDAV server on loopback. */
async function overWebdav(work: string): Promise<void> {
  const server = await startNginx();
  const memoryRows: string[] = [];
  /** Per archive, where the peak sits by kind of Chromium process. */
  const memoryNotes: string[] = [];
  try {
    // P3
    if (wanted('p3') || wanted('p4')) {
      log('P3 end to end: generating data on the server…');
      const big = await makeBigMedia(join(server.dataDir, 'big'), SIZES.bigCount, SIZES.bigSize);
      describe('big media', big);
      const mixed = await mixedSet(work);
      await cp(mixed.dir, join(server.dataDir, 'mixed'), { recursive: true });
      const mixedSetInfo = mixed.set;
      const rows = [
        '| Data set | Extension in Chromium | Extension in Firefox | Engine in Node (CLI) | curl × 8 + zip + curl -T | rclone --transfers 16 + zip + curl -T | Best pipeline ÷ Chromium (target ≥ 1.5×) | Best pipeline ÷ Firefox | Best pipeline ÷ CLI | Met (Chromium) |',
        '|---|---|---|---|---|---|---|---|---|---|',
      ];
      const notes: string[] = [];
      const sets: [string, string, string[], DataSet][] = [
        ['big media', 'big', ['-0'], big],
        ['mixed', 'mixed', ['-6', '-n', MEDIA_SUFFIXES.join(':')], mixedSetInfo],
      ];
      for (const [label, source, zipArgs] of sets) {
        log(`P3 end to end: ${label}…`);
        const measured = await endToEnd(server, source, zipArgs, RUNS, work, { firefox: withFirefox });
        const extension = median(measured.extension.map((r) => r.seconds));
        const firefox = measured.firefox.length ? median(measured.firefox.map((r) => r.seconds)) : undefined;
        const cli = median(measured.cli.map((r) => r.seconds));
        const stage = (pick: (p: PipelineRun) => number) => median(measured.pipelines.map(pick));
        const viaCurl = stage((p) => p.download.curl + p.zip + p.upload);
        const viaRclone = stage((p) => p.download.rclone + p.zip + p.upload);
        const best = Math.min(viaCurl, viaRclone);
        const ok = best / extension >= 1.5;
        const firefoxMissing = measured.firefoxFailure ? '**failed** (see below)' : NO_FIREFOX;
        const firefoxTime = firefox === undefined ? firefoxMissing : fmtS(firefox);
        const firefoxRatio = firefox === undefined ? firefoxMissing : ratio(best / firefox);
        rows.push(
          `| ${label} | ${fmtS(extension)} | ${firefoxTime} | ${fmtS(cli)} | ${fmtS(viaCurl)} | ${fmtS(viaRclone)} | ${ratio(best / extension)} | ${firefoxRatio} | ${ratio(best / cli)} | ${met(ok)} |`,
        );
        summary.push(
          `| P3 end to end, ${label} (nginx WebDAV) | ${fmtS(extension)} | ${firefox === undefined ? firefoxMissing : `${firefoxTime}: ${firefoxRatio} as fast`} | ${fmtS(cli)} | best pipeline ${fmtS(best)} | ${ratio(best / extension)} as fast | ≥ 1.5× | ${met(ok)} |`,
        );
        notes.push(
          `- ${label}: extension phases (median run): ${phasesOf(medianRun(measured.extension))}; ` +
            `pipeline stages (medians): curl download ${fmtS(stage((p) => p.download.curl))}, rclone download ` +
            `${fmtS(stage((p) => p.download.rclone))}, zip ${fmtS(stage((p) => p.zip))}, upload ${fmtS(stage((p) => p.upload))}; ` +
            `CLI peak RSS ${median(measured.cli.map((r) => r.maxRssMiB)).toFixed(0)} MiB.`,
        );
        if (firefox !== undefined) {
          notes.push(`- ${label}: Firefox phases (median run): ${phasesOf(medianRun(measured.firefox))}.`);
        }
        if (measured.firefoxFailure) {
          notes.push(
            `- ${label}: Firefox stopped after ${measured.firefox.length} good run(s) of ${RUNS}: \`${measured.firefoxFailure.replaceAll('`', "'")}\``,
          );
        }
        if (source === 'big') {
          const peak = overIdle(measured.extension);
          memoryNotes.push(
            `- ${fmtMiB(big.bytes)}, growth at the peak by process kind: ${growthByKind(medianRun(measured.extension))}.`,
          );
          let firefoxMemory = measured.firefoxFailure ? '**failed** (see P3)' : NO_FIREFOX;
          if (measured.firefox.length) {
            const runs = measured.firefox;
            firefoxMemory =
              `**${fmtMiB(overIdle(runs))}** (${fmtMiB(median(runs.map((r) => r.memory.idle)))} → ` +
              `${fmtMiB(Math.max(...runs.map((r) => r.memory.peak)))})`;
            memoryNotes.push(
              `- ${fmtMiB(big.bytes)} in Firefox, growth at the peak by process: ${growthByKind(medianRun(runs))}.`,
            );
          }
          memoryRows.push(
            `| ${fmtMiB(big.bytes)} (${label}, random) | ${fmtMiB(median(measured.extension.map((r) => r.memory.idle)))} | ${fmtMiB(Math.max(...measured.extension.map((r) => r.memory.peak)))} | **${fmtMiB(peak)}** | ${firefoxMemory} | ${median(measured.cli.map((r) => r.maxRssMiB)).toFixed(0)} MiB | ${met(peak <= 150 * MiB)} |`,
          );
        }
        await rm(join(server.dataDir, source), { recursive: true, force: true });
      }
      sections.push(
        '## P3. End to end: nginx WebDAV on loopback → archive → upload back',
        '',
        `Every pipeline reads the folder from nginx (dav_ext, HTTP/1.1, Basic auth) and writes one zip back to the same server. ` +
          'The extension: browse-page protocol, "in the browser", default compression (auto, level 6: media stored by suffix, text deflated), ' +
          'time from the request to the verified upload; in Chromium and, taking turns with it, the add-on in Firefox ESR ' +
          '(bench/firefox-e2e.ts: the server connected in the options page, the same messages from the browse page). ' +
          "The CLI: the job's own time. The pipelines a user could script " +
          '(bench/pipelines.ts): 8 `curl` processes at once through `xargs -P 8`, each fetching its share of the file list ' +
          'over one connection, or `rclone copy --transfers 16`; then `zip -r` (`-0` for big media, `-6 -n <media>` ' +
          'for the mixed set); then `curl -T`. The curl pipeline is given the file list; listing is not timed for it. ' +
          `Medians of ${RUNS} runs each; ratio = best pipeline's time ÷ ours (above 1: we are faster).`,
        '',
        ...rows,
        '',
        ...notes,
        '',
      );
    }

    // P5 over HTTP/1.1
    if (wanted('p5')) {
      log('P5 small files over HTTP/1.1: generating…');
      const small = await makeSmallFiles(join(server.dataDir, 'small'), SIZES.small);
      describe('small files', small);
      const h1 = await endToEnd(server, 'small', [], 1, work, { pipelines: false });
      await rm(join(server.dataDir, 'small'), { recursive: true, force: true });
      const tls = makeSelfSignedCert();
      let h2: EndToEnd | undefined;
      let h2Requests = '';
      const secure = await startNginx({ tls });
      try {
        log('P5 small files over HTTP/2: generating…');
        await makeSmallFiles(join(secure.dataDir, 'small'), SIZES.small);
        h2 = await endToEnd(secure, 'small', [], 1, work, {
          extension: { chromiumArgs: tls.chromiumArgs },
          // Node's fetch speaks HTTP/1.1 only: the CLI's row would measure TLS, not HTTP/2.
          cli: false,
          pipelines: false,
        });
        h2Requests = countProtocols(join(dirname(secure.dataDir), 'access.log'));
      } finally {
        await secure.stop();
        tls.remove();
      }
      const rate = (seconds: number) => small.files / seconds;
      const e1 = h1.extension[0]!;
      const c1 = h1.cli[0]!;
      const e2 = h2.extension[0]!;
      summary.push(
        `| P5 ${small.files.toLocaleString('en')} × 4 KiB, nginx HTTP/1.1 | ${rate(e1.seconds).toFixed(0)} files/s (${fmtS(e1.seconds)}) | ${NO_FIREFOX} | ${rate(c1.seconds).toFixed(0)} files/s | — | | ≥ 1,000 files/s | ${met(rate(e1.seconds) >= 1000)} |`,
        `| P5 same, nginx HTTPS + HTTP/2 | ${rate(e2.seconds).toFixed(0)} files/s (${fmtS(e2.seconds)}) | ${NO_FIREFOX} | — (Node's fetch: HTTP/1.1 only) | — | ${ratio(e1.seconds / e2.seconds)} HTTP/1.1's rate | more than HTTP/1.1 | ${met(e2.seconds < e1.seconds)} |`,
      );
      sections.push(
        '## P5. Many small files',
        '',
        `${small.description}, archived (auto, level 6) from nginx on loopback and uploaded back; one run each (the slow rows take minutes).`,
        '',
        '| Server | Extension in Chromium | Engine in Node (CLI) | Extension target | Met |',
        '|---|---|---|---|---|',
        `| nginx, HTTP/1.1 | ${rate(e1.seconds).toFixed(0)} files/s (${fmtS(e1.seconds)}) | ${rate(c1.seconds).toFixed(0)} files/s (${fmtS(c1.seconds)}) | ≥ 1,000 files/s | ${met(rate(e1.seconds) >= 1000)} |`,
        `| nginx, HTTPS with \`http2\` (self-signed, trusted by this browser only) | ${rate(e2.seconds).toFixed(0)} files/s (${fmtS(e2.seconds)}) | — (Node's fetch speaks HTTP/1.1 only) | more than over HTTP/1.1 | ${met(e2.seconds < e1.seconds)} |`,
        '',
        `- HTTP/1.1 extension phases: ${phasesOf(e1)}.`,
        `- HTTP/2 extension phases: ${phasesOf(e2)}. nginx's access log of the HTTPS server, requests per protocol: ${h2Requests}.`,
        '- The certificate is made by `openssl` at run time (tools/tls-cert.ts); only the test browser accepts it, ' +
          "through Chromium's `--ignore-certificate-errors-spki-list=<SHA-256 of its public key>`, which also covers the " +
          "extension service worker's fetches (nginx's log above shows them as HTTP/2.0).",
        '',
      );
    }

    // P4: the bigger archive (the first row came from P3's big media runs).
    if (wanted('p4')) {
      // BENCH_MEMORY_GIB: a smaller (or bigger) second archive when time or disk is short.
      const bigger = process.env.BENCH_MEMORY_GIB ? Number(process.env.BENCH_MEMORY_GIB) * GiB : SIZES.memory;
      const free = statfsSync(tmpdir()).bavail * statfsSync(tmpdir()).bsize;
      // The OPFS spool and the uploaded copy each take the archive's size; keep 4 GiB for everyone else.
      let size = bigger;
      while (size > GiB && 2 * size + 4 * GiB > free) size /= 2;
      const note =
        size < bigger
          ? ` (${fmtMiB(bigger)} did not fit: ${fmtMiB(free)} free on ${tmpdir()}, the spool and the upload need twice the archive)`
          : '';
      log(`P4 memory: ${fmtMiB(size)}${note}…`);
      const sparse = await makeSparseMedia(join(server.dataDir, 'memory'), 2, size / 2);
      describe('memory', sparse);
      const session = await openExtensionSession(server, { timeoutMs: 3_600_000 });
      let measured: ExtensionRun;
      try {
        measured = await session.archive('memory', 'bench-memory.zip');
      } finally {
        await session.close();
        await rm(join(server.dataDir, 'bench-memory.zip'), { force: true });
        await rm(join(server.dataDir, 'memory'), { recursive: true, force: true });
      }
      const peak = measured.memory.peak - measured.memory.idle;
      memoryNotes.push(`- ${fmtMiB(size)}, growth at the peak by process kind: ${growthByKind(measured)}.`);
      memoryRows.push(
        `| ${fmtMiB(size)} (sparse, one run, ${fmtS(measured.seconds)})${note} | ${fmtMiB(measured.memory.idle)} | ${fmtMiB(measured.memory.peak)} | **${fmtMiB(peak)}** | — (Chromium only) | — | ${met(peak <= 150 * MiB)} |`,
      );
      summary.push(
        ...memoryRows.map((row) => {
          const cells = row.split('|').map((cell) => cell.trim());
          return `| P4 memory above idle, ${cells[1]} | ${cells[4]} | ${cells[5]} | ${cells[6] === '—' ? '—' : `peak RSS ${cells[6]}`} | — | | ≤ 150 MiB | ${cells[7]} |`;
        }),
      );
      sections.push(
        '## P4. Memory of the browser while archiving',
        '',
        'Summed proportional set size (Pss, `/proc/<pid>/smaps_rollup`) of every Chromium process (and, in the Firefox ' +
          'column, of every Firefox process: the main one and all below it, tools/pss.ts), sampled every 250 ms ' +
          'during the job; "idle" is the median over the 2 s before the job with the browse page open and the server connected. ' +
          'Pss shares each shared page among the processes mapping it, so nothing is counted twice (summed RSS counts ' +
          'shared libraries once per process). The OPFS spool lives on disk and is not in these numbers.',
        '',
        '| Archive | Idle browser | Peak during the job | Peak above idle (target ≤ 150 MiB) | Firefox: peak above idle (idle → peak) | Engine in Node, peak RSS | Met (Chromium) |',
        '|---|---|---|---|---|---|---|',
        ...memoryRows,
        '',
        'Where the peak sits, against the idle browser, by kind of Chromium process (the service worker runs in the ' +
          '"renderer (extension)" process; the network service does the fetches; the storage service backs OPFS):',
        '',
        ...memoryNotes,
        '',
      );
    }
  } finally {
    await server.stop();
  }
}

/** "HTTP/2.0: 20001, HTTP/1.1: 3" from an nginx access log in the combined format. */
function countProtocols(accessLog: string): string {
  const counts = new Map<string, number>();
  for (const line of readFileSync(accessLog, 'utf8').split('\n')) {
    const protocol = / (HTTP\/[\d.]+)"/.exec(line)?.[1];
    if (protocol) counts.set(protocol, (counts.get(protocol) ?? 0) + 1);
  }
  return [...counts].map(([protocol, count]) => `${protocol} ${count.toLocaleString('en')}`).join(', ') || 'none';
}

async function responsiveness(): Promise<void> {
  log('P6 responsiveness…');
  const runs = quick ? 3 : 9;
  const result = await measureResponsiveness(runs);
  const clickOk = result.clickToTaskMs <= 150;
  const popupOk = result.popupPaintMs <= 100;
  let firefoxClick = NO_FIREFOX;
  const firefoxLines: string[] = [];
  if (withFirefox) {
    log('P6 responsiveness in Firefox…');
    const clicks = await firefoxClickToTask(runs);
    const clickMs = median(clicks);
    firefoxClick = `${clickMs.toFixed(0)} ms (≤ 150 ms: ${met(clickMs <= 150)})`;
    firefoxLines.push(
      `In Firefox ESR (bench/firefox-responsiveness.ts: the add-on, the sandbox connected and signed in through the ` +
        `options page, the dialog reached in its closed shadow root and clicked with real input), the same click → ` +
        `task created: median **${clickMs.toFixed(0)} ms** of ${runs} after one untimed warm-up ` +
        `(every run: ${clicks.map((ms) => ms.toFixed(0)).join(', ')} ms; target ≤ 150 ms: ${met(clickMs <= 150)}). ` +
        "Firefox's popup paint is not measured (the popup timing installs its observer before the popup's scripts " +
        'through Playwright, bench/responsiveness.ts).',
      '',
    );
  }
  summary.push(
    `| P6 click on Start → server task created (sandbox) | ${result.clickToTaskMs.toFixed(0)} ms | ${firefoxClick} | — | — | | ≤ 150 ms | ${met(clickOk)} |`,
    `| P6 popup first paint with ${result.jobs} jobs + ${result.tasks} server tasks | ${result.popupPaintMs.toFixed(0)} ms | ${NO_FIREFOX} | — | — | | ≤ 100 ms | ${met(popupOk)} |`,
  );
  sections.push('## P6. Responsiveness', '', ...result.lines, '', ...firefoxLines);
}

const work = await mkdtemp(join(tmpdir(), 'cra-bench-'));
const started = performance.now();
const target = only || quick ? join(tmpdir(), `BENCHMARKS-${only?.join('-') ?? 'quick'}.md`) : 'BENCHMARKS.md';

/** Writes what is measured so far, so a run cut short still leaves its finished sections. */
async function writeReport(pending: string[]): Promise<string> {
  const minutes = (performance.now() - started) / 60_000;
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); every number below comes from the same run on this machine ' +
      `(${pending.length ? `in progress after ${minutes.toFixed(0)} min; not measured yet: ${pending.join(', ')}` : `this run took ${minutes.toFixed(0)} min`}). ` +
      'Targets are issue 14\'s. "Extension" rows drive the real built extension in Chromium, except P1, which runs ' +
      "the extension's zip modules in a Chromium page; Chromium's are the headline rows, and the " +
      '"Extension in Firefox" column shows the same measures, taken in the same run, for the add-on in Firefox ESR ' +
      '(the same page for P1).',
    '',
    '## Machine',
    '',
    await machine(),
    '',
    '## Summary',
    '',
    '| Measure | Extension in Chromium | Extension in Firefox | Engine in Node (CLI) | Baseline | Chromium vs baseline | Target | Met (Chromium) |',
    '|---|---|---|---|---|---|---|---|',
    ...summary,
    '',
    '## Data sets',
    '',
    'Generated deterministically at run time (bench/datasets.ts) into a temp dir, removed afterwards.',
    '',
    ...dataSets,
    '',
    ...sections,
    '## Running it',
    '',
    "- `npm run bench`: builds the extension for Chromium and Firefox, then every section at the issue's sizes, 3 runs per measurement " +
      'that is cheap enough (P1, P3; P6 takes 9 samples), one run of P5 and P4, and an 8 GiB memory archive. ' +
      'It needs about 2 × 8 GiB of free disk under the temp dir (the OPFS spool and the uploaded copy) and takes ' +
      'over an hour on this shared 2-core machine.',
    '- `BENCH_RUNS=1 BENCH_MEMORY_GIB=4 npm run bench`: the same sections with one run each and a 4 GiB memory ' +
      'archive, about 45 minutes here.',
    '- `npm run bench -- --quick` (small data sets, one run, writes to the temp dir, not this file) and ' +
      '`--only=p1,p3,p4,p5,p6` for development; `--no-firefox` (or BENCH_FIREFOX=0) leaves the Firefox rows out. ' +
      'They cost a full run about 10 min (P1 ≈ 3.5 min at 3 runs, P3 ≈ 2 min per data set, P6 ≈ 1.5 min), ' +
      'plus up to 5 min for a Firefox archive that never ends (recorded as failed; that set has no further Firefox runs).',
    "- Firefox rows: P1 (the same page), P3 (both data sets), the Firefox memory of P3's big media runs and P6's " +
      'click → task created. ' +
      'Not measured in Firefox: P5 (its HTTP/2 row needs the loopback certificate trusted by Firefox, which the ' +
      "harness does not do yet, and the 20,000-file runs take minutes each), P4's sparse multi-GiB archive " +
      "(minutes more, same code path as the big media run) and P6's popup paint (its observer is installed " +
      'through Playwright).',
    "- P1's Chromium rows run the extension's zip modules (lib/archive, lib/zip, lib/spool) in a page " +
      '(bench/browser/): what the service worker or an offscreen document adds around them is in the P3 and P5 rows, ' +
      'which drive the built extension. The Firefox P1 rows open the same page in Firefox ESR.',
    '',
  ];
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, lines.join('\n'));
  return lines.join('\n');
}

try {
  const steps: [string, boolean, () => Promise<void>][] = [
    // Cheapest first, so a run cut short still has the most rows.
    ['P6', wanted('p6'), responsiveness],
    ['P3, P5, P4', wanted('p3') || wanted('p4') || wanted('p5'), () => overWebdav(work)],
    ['P1', wanted('p1'), () => zipStage(work)],
  ];
  const pending = steps.filter(([, on]) => on).map(([label]) => label);
  for (const [label, on, step] of steps) {
    if (!on) continue;
    await step();
    pending.splice(pending.indexOf(label), 1);
    await writeReport(pending);
  }
  console.log(await writeReport([]));
  log(`wrote ${target} after ${((performance.now() - started) / 60_000).toFixed(1)} min`);
} finally {
  await rm(work, { recursive: true, force: true });
}
