import { useQuery } from '@tanstack/react-query';
import { useFetchClient } from '@strapi/strapi/admin';

export interface ContentTypeInfo {
  uid: string;
  kind: 'collectionType' | 'singleType';
  displayName: string;
}

interface InitResponse {
  data: {
    contentTypes: Array<{
      uid: string;
      kind: ContentTypeInfo['kind'];
      isDisplayed: boolean;
      info: { displayName: string };
    }>;
  };
}

/**
 * The app's own content types (names for the filter, kind for Content Manager links), from the
 * Content Manager's `GET /content-manager/init`, which any signed-in admin may read.
 */
export function useContentTypes() {
  const { get } = useFetchClient();
  return useQuery({
    queryKey: ['usage-analytics', 'content-types'],
    queryFn: async () => {
      const { data } = await get<InitResponse>('/content-manager/init');
      return data.data.contentTypes
        .filter((ct) => ct.isDisplayed && ct.uid.startsWith('api::'))
        .map(
          (ct): ContentTypeInfo => ({
            uid: ct.uid,
            kind: ct.kind,
            displayName: ct.info.displayName,
          })
        );
    },
    staleTime: Infinity,
  });
}
