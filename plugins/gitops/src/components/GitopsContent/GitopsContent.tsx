import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Text } from '@backstage/ui';

/** Content of the GitOps entity tab. */
export function GitopsContent() {
  const { entity } = useEntity();
  return (
    <Box p="4">
      <Text as="h2" variant="title-small">
        GitOps: {entity.metadata.title ?? entity.metadata.name}
      </Text>
    </Box>
  );
}
