package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;

/**
 * Calls a handler the way the Lambda Java runtime does: the event goes in as JSON, converted to the
 * handler's input class by the runtime's own serialization library, and the response comes back as
 * the JSON Lambda would return.
 */
final class Invocations {

    /** Reads JSON, also with single quotes, so that expected values stay readable in the tests. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

    private Invocations() {
    }

    /** A sample event; the path is relative to the function folder, where Maven and Gradle run the tests. */
    static ObjectNode event(String path) throws IOException {
        return (ObjectNode) JSON.readTree(new File(path));
    }

    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    /** A handler that takes the raw event. */
    static JsonNode invoke(RequestStreamHandler handler, JsonNode event, Context context) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), output, context);
        return JSON.readTree(output.toByteArray());
    }

    /** A typed handler: its handleRequest method's first parameter names the input class. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static JsonNode invoke(RequestHandler handler, JsonNode event, Context context) throws IOException {
        Object input = serializer(inputClass(handler)).fromJson(event.toString());
        Object response = handler.handleRequest(input, context);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        serializer(response.getClass()).toJson(response, output);
        return JSON.readTree(output.toByteArray());
    }

    private static Class<?> inputClass(Object handler) {
        for (Method method : handler.getClass().getMethods()) {
            if (method.getName().equals("handleRequest") && method.getParameterCount() == 2 && !method.isBridge()) {
                return method.getParameterTypes()[0];
            }
        }
        throw new IllegalArgumentException(handler.getClass() + " has no handleRequest(input, context) method");
    }

    @SuppressWarnings("rawtypes")
    private static PojoSerializer serializer(Class<?> type) {
        return LambdaEventSerializers.serializerFor(type, Invocations.class.getClassLoader());
    }
}
