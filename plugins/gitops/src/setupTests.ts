import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// CI machines are shared; the default 1 s for findBy/waitFor is too tight under load.
configure({ asyncUtilTimeout: 5000 });
