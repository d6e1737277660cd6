export { MemoryApplications, memorySourceFactory } from './memoryApplications';
export { MemoryGitHost, MemoryRepository } from './memoryGitHost';
export { createExampleGitopsModule } from './module';
export { releaseJsonLocator } from './releaseJsonLocator';
