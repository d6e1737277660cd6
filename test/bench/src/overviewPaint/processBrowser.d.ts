// the browser build of the process package, the app build's `process` global
declare module 'process/browser';
