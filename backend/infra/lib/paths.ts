/** Where the CDK app finds the repository's parts, whatever the working directory. */
import { fileURLToPath } from 'node:url';

/** The repository root (the Docker build context of the endpoint image, the Lambda's project root). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A path relative to the repository root, made absolute. */
export const repoPath = (path: string): string => fileURLToPath(new URL(path, new URL('../../../', import.meta.url)));

/** The model shipped with the repository (model.onnx, vocab.json, card.json): the one the product uses. */
export { SHIPPED_ARTIFACT_DIR } from '../../../model/inference/node.ts';
/** The SageMaker training entry point and its Python modules. */
export const TRAINING_SOURCE_DIR = repoPath('model/train');
/** The pretrained encoder fine-tuning starts from (`npm run pretrain`), packed with the training code. */
export const ENCODER_DIR = repoPath('model/artifacts/encoder');
/** The Lambda handler's entry. */
export const HANDLER_ENTRY = repoPath('backend/api/handler.ts');
/** The built page (`npm run web:build`). */
export const SITE_DIR = repoPath('website/dist');
/** The endpoint image's Dockerfile and its ignore file, relative to the repository root. */
export const DOCKERFILE = 'backend/Dockerfile';
export const DOCKERIGNORE = repoPath('backend/Dockerfile.dockerignore');
/** The CDK app's folder (cdk.json); the CLI writes its cloud assembly and deploy outputs under dist/. */
export const INFRA_DIR = repoPath('backend/infra');
export const DEPLOY_OUTPUTS_FILE = repoPath('backend/infra/dist/cdk-outputs.json');
/** CDK context the CLI reads; `npm run aws:train` registers a trained model's URL here. */
export const CONTEXT_FILE = repoPath('backend/infra/cdk.context.json');
