/**
 * The file assets of a cloud assembly, found from the S3 location a template names: CDK writes
 * each asset into `cdk.out` (`asset.<hash>.<ext>` for a file, `asset.<hash>/` for a directory it
 * zips at publish time) and lists it in the stack's asset manifest (`*.assets.json`) with the
 * bucket and key it is published to. The template names that bucket with placeholders
 * (`Fn::Sub: s3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/<hash>.js`), which the
 * manifest keeps as is; both are resolved with the stack's local account here, so a location
 * matches exactly the asset CDK would have uploaded there.
 * Format: https://github.com/cdklabs/cloud-assembly-schema (asset manifest, `files`).
 *
 * @example
 * const assets = AssemblyAssets.read('cdk.out');
 * const code = assets.readText('s3://cdk-hnb659fds-assets-123456789012-us-east-1/ab12.js', account, 'resolver Query.note', 'code');
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface AssemblyAsset {
  /** The asset's id in the manifest (its source hash). */
  id: string;
  /** `file`: one file, uploaded as is; `zip`: a directory, uploaded as a zip of it. */
  packaging: 'file' | 'zip';
  /** The file or directory under `cdk.out`, absolute. */
  path: string;
  /** Bucket and key it is published to, placeholders (`${AWS::AccountId}` …) as the manifest writes them. */
  destinations: { bucketName: string; objectKey: string }[];
}

export interface AccountOfStack {
  accountId: string;
  region: string;
}

interface AssetManifestFile {
  files?: Record<
    string,
    {
      source?: { path?: string; packaging?: string; executable?: string[] };
      destinations?: Record<string, { bucketName?: string; objectKey?: string }>;
    }
  >;
}

export class AssemblyAssets {
  private constructor(
    /** The assembly's directory; undefined for a template read on its own. */
    readonly directory: string | undefined,
    readonly assets: AssemblyAsset[],
    /** Assets built by a command at publish time (`source.executable`): nothing of them is in `cdk.out`. */
    private readonly builtAtPublish: Set<string>,
  ) {}

  /** No assets: for a template read without its cloud assembly. */
  static none(): AssemblyAssets {
    return new AssemblyAssets(undefined, [], new Set());
  }

  /** Every file asset listed by the asset manifests of the assembly in `directory`. */
  static read(directory: string): AssemblyAssets {
    const assets: AssemblyAsset[] = [];
    const builtAtPublish = new Set<string>();
    const manifests = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.assets.json')) : [];
    for (const file of manifests) {
      const manifest = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as AssetManifestFile;
      for (const [id, asset] of Object.entries(manifest.files ?? {})) {
        const destinations = Object.values(asset.destinations ?? {}).map((destination) => ({
          bucketName: String(destination.bucketName),
          objectKey: String(destination.objectKey),
        }));
        if (!asset.source?.path) {
          for (const destination of destinations) builtAtPublish.add(destination.objectKey);
          continue;
        }
        assets.push({
          id,
          packaging: asset.source.packaging === 'zip' ? 'zip' : 'file',
          path: path.resolve(directory, asset.source.path),
          destinations,
        });
      }
    }
    return new AssemblyAssets(directory, assets, builtAtPublish);
  }

  /** The asset published to `bucket`/`key` for a stack of `account`, if the assembly has one. */
  find(bucket: string, key: string, account: AccountOfStack): AssemblyAsset | undefined {
    return this.assets.find((asset) =>
      asset.destinations.some((destination) => destination.objectKey === key && withAccount(destination.bucketName, account) === bucket),
    );
  }

  /**
   * The text of the file asset at an `s3://bucket/key` URL, holding `what` (`code`, `schema`,
   * `definition`). Refused, naming `where` and the location: a location that is no asset of this
   * assembly, and a directory asset (what S3 holds there is a zip, not the file).
   */
  readText(url: string, account: AccountOfStack, where: string, what: keyof typeof INLINE_ADVICE): string {
    const location = parseS3Url(url, where);
    const asset = this.find(location.bucket, location.key, account);
    if (!asset) {
      const why = this.builtAtPublish.has(location.key)
        ? 'an asset built by a command only when it is published, so nothing of it is in the cloud assembly'
        : `not an asset of ${this.directory ? `the cloud assembly in ${this.directory}` : 'any cloud assembly (the template was read without one)'}`;
      throw new Error(`${where} keeps its ${what} in ${url}, which is ${why}. ${INLINE_ADVICE[what]}`);
    }
    if (asset.packaging === 'zip') {
      throw new Error(
        `${where} keeps its ${what} in ${url}, a directory asset (${path.basename(asset.path)}/) that CDK uploads as a zip, while AWS reads that location as one file. Make the asset the file itself (or bundle with outputType BundlingOutput.SINGLE_FILE).`,
      );
    }
    return readFileSync(asset.path, 'utf8');
  }
}

/** What to do instead, by what the location holds. */
const INLINE_ADVICE = {
  code: 'Put the code in a file asset (appsync.Code.fromAsset), or use appsync.Code.fromInline so the template carries it.',
  schema: 'Put the schema in a file asset, or use appsync.Definition.fromFile so the template carries it.',
  definition: 'Put the definition in a file asset (DefinitionBody.fromFile), or in the template (DefinitionBody.fromString).',
};

/** `s3://bucket/key` into its parts; anything else is refused, naming `where`. */
export function parseS3Url(url: string, where: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) throw new Error(`${where} names the S3 location "${url}", which is not of the form s3://bucket/key.`);
  return { bucket: match[1]!, key: match[2]! };
}

/** The manifest's placeholders, as the template's `Fn::Sub` resolves them for this stack. */
function withAccount(text: string, account: AccountOfStack): string {
  return text
    .replaceAll('${AWS::AccountId}', account.accountId)
    .replaceAll('${AWS::Region}', account.region)
    .replaceAll('${AWS::Partition}', 'aws');
}
